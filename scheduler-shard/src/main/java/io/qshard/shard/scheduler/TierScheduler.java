package io.qshard.shard.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Tier;
import io.qshard.core.queue.QueuedPod;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.kube.ClusterEventListener;
import io.qshard.shard.status.PodStatusReporter;

/**
 * One scheduler instance for one tier: a single decision thread owns the {@link ClusterState} and applies,
 * in arrival order, everything that reaches it through its inbox — informer events and binding outcomes.
 * Per pod: pop → decide on the current snapshot → assume → bind asynchronously → on success forget the
 * queue entry; on failure forget the assumption and retry with backoff; "already bound" or "pod gone" →
 * drop. Pods of other schedulerNames are never touched; every bound pod, of any scheduler, is accounted.
 *
 * <p>Thread-safety: the {@link ClusterEventListener} methods may be called from any thread (they only
 * enqueue); {@link #start}/{@link #stop}/{@link #kill} from a controlling thread.
 */
public final class TierScheduler implements ClusterEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(TierScheduler.class);
    private static final long IDLE_WAIT_MS = 20;

    private final Tier tier;
    private final Clock clock;
    private final ClusterState state = new ClusterState();
    private final SchedulingQueue queue;
    private final SchedulingAlgorithm algorithm;
    private final List<ReservePlugin> reservers;
    private final Binder binder;
    /** Bindings to let complete before deciding again when all slots are busy (a quarter of the slots). */
    private final int bindBatch;
    private final PodStatusReporter reporter;
    private final SchedulerMetrics metrics = new SchedulerMetrics();
    private final io.qshard.shard.usage.UsageTracker usage;
    private long nextUsageTick;
    private boolean usageChanged;
    private PlacementLedger ledger = new PlacementLedger();
    /** uids of pods other tiers of this process assumed and the informer has not confirmed yet (decision thread). */
    private final java.util.Set<String> peerAssumed = new java.util.HashSet<>();
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    /** uid → node of pods assumed here whose binding the informer has not confirmed yet (decision thread only). */
    private final Map<String, String> assumed = new HashMap<>();
    private final Thread thread;
    private volatile boolean running;
    private volatile ClusterSnapshot lastSnapshot = ClusterSnapshot.empty();
    private long seed;

    public TierScheduler(Tier tier, QshardConfig config, PluginRegistry registry, KubernetesClient client,
                         SchedulerSettings settings, Clock clock) {
        this.tier = tier;
        this.clock = clock;
        this.usage = new io.qshard.shard.usage.UsageTracker(config);
        Profile profile = Profile.build(tier, registry, new PluginContext(config.pools(), clock, usage.hotspots()));
        this.algorithm = new SchedulingAlgorithm(profile, config.nodesToScore());
        this.reservers = profile.reservers();
        this.queue = new SchedulingQueue(clock, config.backoff(), config.unschedulableTimeout());
        this.binder = new Binder(client, settings.bindConcurrency());
        this.bindBatch = Math.max(1, settings.bindConcurrency() / 4);
        this.reporter = new PodStatusReporter(client, tier.schedulerName(), clock, settings.scheduledEventsPerSecond(),
                settings.failedEventsPerSecond());
        this.thread = new Thread(this::loop, "qshard-" + tier.name() + "-decide");
    }

    public Tier tier() {
        return tier;
    }

    public SchedulerMetrics metrics() {
        return metrics;
    }

    /** Queue depths (thread-safe). */
    public SchedulingQueue.Sizes queueSizes() {
        return queue.sizes();
    }

    /** The snapshot of the last decision (for explain and metrics; read-only). */
    public ClusterSnapshot snapshot() {
        return lastSnapshot;
    }

    /** Usage reports applied, rejected and gone stale (counters are thread-safe). */
    public io.qshard.shard.usage.UsageTracker usage() {
        return usage;
    }

    /** Events and condition writes done / dropped. */
    public PodStatusReporter reporter() {
        return reporter;
    }

    /** Whether the decision thread is alive. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Shares placements with the other tier schedulers of this process; call before {@link #start()}. */
    public void joinLedger(PlacementLedger shared) {
        this.ledger = shared;
        shared.join(this);
    }

    /** Another tier of this process assumed {@code bound}: account it before this tier decides again. */
    void peerAssumed(PodRequest bound) {
        inbox.add(() -> {
            if (state.nodeOf(bound.uid()).isEmpty()) {
                state.upsertPod(bound);
                peerAssumed.add(bound.uid());
            }
        });
    }

    /** Another tier of this process gave up an assumption. */
    void peerForgot(String uid) {
        inbox.add(() -> {
            if (peerAssumed.remove(uid)) {
                state.removePod(uid);
            }
        });
    }

    /** Starts the decision thread. */
    public void start() {
        running = true;
        thread.start();
        LOG.info("tier {} scheduler started (schedulerName {})", tier.name(), tier.schedulerName());
    }

    /**
     * Graceful stop: take no more pods, let in-flight bindings finish (at most {@code grace}); pods not
     * bound stay pending for the next instance.
     */
    public void stop(Duration grace) {
        running = false;
        thread.interrupt();
        join();
        try {
            if (!binder.awaitIdle(grace)) {
                LOG.warn("tier {}: {} bindings still in flight after {}; abandoning them", tier.name(), binder.inFlight(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        binder.close();
        reporter.close();
        org.HdrHistogram.Histogram d = metrics.decisionHistogram();
        LOG.info("tier {} scheduler stopped: {} bound, {} unschedulable decisions, bind errors {}; decision p50 {} µs, p99 {} µs",
                tier.name(), metrics.bound.sum(), metrics.unschedulable.sum(), metrics.bindErrors.sum(),
                d.getValueAtPercentile(50) / 1000, d.getValueAtPercentile(99) / 1000);
    }

    /** Abrupt stop (tests: "kill -9" of the decision loop); in-flight bindings are not waited for. */
    public void kill() {
        running = false;
        thread.interrupt();
        join();
        binder.close();
        reporter.close();
    }

    private void join() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- informer side: enqueue only ------------------------------------------------------------

    @Override
    public void nodeUpserted(Node node) {
        inbox.add(() -> {
            // heartbeats change nothing the scheduler sees: only real changes wake unschedulable pods
            boolean changed = state.snapshot().node(node.name()).map(s -> !s.node().equals(node)).orElse(true);
            if (changed) {
                state.upsertNode(node);
                usage.nodeKnown(node.name(), state, clock.instant());
                queue.onClusterEvent();
            }
        });
    }

    @Override
    public void nodeDeleted(String name) {
        inbox.add(() -> state.removeNode(name));
    }

    @Override
    public void podUpserted(PodRequest pod, boolean finished, boolean deleting) {
        inbox.add(() -> applyPod(pod, finished, deleting));
    }

    @Override
    public void usageReported(io.qshard.core.usage.UsageReport report) {
        inbox.add(() -> usageChanged |= usage.reported(report, state, clock.instant()));
    }

    @Override
    public void usageRemoved(String node) {
        inbox.add(() -> {
            usage.removed(node, state);
            usageChanged = true;
        });
    }

    @Override
    public void podDeleted(String uid) {
        inbox.add(() -> {
            forgetPod(uid);
            queue.onClusterEvent();
        });
    }

    // ---- decision thread --------------------------------------------------------------------------

    private void applyPod(PodRequest pod, boolean finished, boolean deleting) {
        if (finished) {
            forgetPod(pod.uid());
            queue.onClusterEvent();
        } else if (pod.nodeName() != null) {
            assumed.remove(pod.uid()); // confirmed, or bound by someone else: the API is the truth
            peerAssumed.remove(pod.uid());
            state.upsertPod(pod);
            queue.delete(pod.uid());
            reporter.forget(pod.uid());
        } else if (tier.name().equals(pod.tier())) {
            if (deleting) {
                queue.delete(pod.uid());
            } else if (!assumed.containsKey(pod.uid())) {
                queue.add(pod);
            }
        }
    }

    private void forgetPod(String uid) {
        assumed.remove(uid);
        state.removePod(uid);
        queue.delete(uid);
        reporter.forget(uid);
    }

    private void loop() {
        try {
            while (running) {
                for (Runnable r; (r = inbox.poll()) != null; ) {
                    r.run();
                }
                usageTick();
                Optional<QueuedPod> next = queue.pop();
                if (next.isPresent()) {
                    binder.awaitCapacity(bindBatch);
                    ledger.lock().lock();
                    try {
                        for (Runnable r; (r = inbox.poll()) != null; ) {
                            r.run(); // peers' placements made before this decision
                        }
                        scheduleOne(next.get());
                    } finally {
                        ledger.lock().unlock();
                    }
                } else {
                    Runnable r = inbox.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        r.run();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("tier {} decision loop failed; this is a bug", tier.name(), e);
            throw e;
        }
    }

    /**
     * Once a second: reports past the staleness limit fall back to the conservative view, and if any node's usage
     * changed since the last tick, unschedulable pods get another chance (once per tick, not once per report).
     */
    private void usageTick() {
        long now = clock.millis();
        if (now < nextUsageTick) {
            return;
        }
        nextUsageTick = now + 1000;
        if (usage.expire(state, clock.instant()) > 0) {
            usageChanged = true;
        }
        usage.publish();
        if (usageChanged) {
            usageChanged = false;
            queue.onClusterEvent();
        }
    }

    private void scheduleOne(QueuedPod q) throws InterruptedException {
        PodRequest pod = q.pod();
        if (state.nodeOf(pod.uid()).isPresent()) {
            queue.done(pod.uid());
            return;
        }
        ClusterSnapshot snapshot = state.snapshot();
        lastSnapshot = snapshot;
        long t0 = System.nanoTime();
        ScheduleResult result;
        try {
            result = algorithm.schedule(snapshot, pod, seed++);
        } catch (RuntimeException e) {
            metrics.errors.increment();
            LOG.error("tier {}: error scheduling {} (retrying with backoff)", tier.name(), pod.key(), e);
            queue.requeueAfterError(q);
            return;
        }
        metrics.decision(System.nanoTime() - t0);
        if (!result.isPlaced()) {
            metrics.unschedulable.increment();
            queue.requeueUnschedulable(q);
            reporter.unschedulable(pod, result.diagnosis().message());
            return;
        }
        String node = result.node();
        CycleState cycle = new CycleState();
        for (int i = 0; i < reservers.size(); i++) {
            if (!reservers.get(i).reserve(cycle, pod, node).isSuccess()) {
                for (int j = i - 1; j >= 0; j--) {
                    reservers.get(j).unreserve(cycle, pod, node);
                }
                queue.requeueAfterError(q);
                return;
            }
        }
        metrics.scheduled.increment();
        state.assume(pod, node);
        assumed.put(pod.uid(), node);
        ledger.assumed(this, pod.boundTo(node));
        binder.bind(pod.namespace(), pod.name(), pod.uid(), node, outcome -> inbox.add(() -> onBound(q, node, cycle, outcome)));
    }

    private void onBound(QueuedPod q, String node, CycleState cycle, BindOutcome outcome) {
        PodRequest pod = q.pod();
        switch (outcome.kind()) {
            case BOUND -> {
                metrics.bound.increment();
                metrics.endToEnd(clock.millis() - q.firstSeen().toEpochMilli());
                queue.done(pod.uid());
                reporter.scheduled(pod, node);
            }
            case ALREADY_BOUND -> {
                metrics.alreadyBound.increment();
                queue.done(pod.uid()); // the informer tells us where it is
            }
            case POD_GONE -> {
                metrics.podGone.increment();
                forgetAssumption(pod, node, cycle);
                queue.done(pod.uid());
            }
            case FAILED -> {
                metrics.bindErrors.increment();
                LOG.warn("tier {}: binding {} to {} failed: {} (retrying with backoff)", tier.name(), pod.key(), node,
                        outcome.message());
                forgetAssumption(pod, node, cycle);
                queue.requeueAfterError(q);
            }
        }
    }

    private void forgetAssumption(PodRequest pod, String node, CycleState cycle) {
        if (assumed.remove(pod.uid()) != null) {
            state.removePod(pod.uid());
            ledger.forgotten(this, pod.uid());
            for (int j = reservers.size() - 1; j >= 0; j--) {
                reservers.get(j).unreserve(cycle, pod, node);
            }
        }
    }
}
