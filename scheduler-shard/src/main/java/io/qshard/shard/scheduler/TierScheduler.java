package io.qshard.shard.scheduler;

import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.cycle.CycleOutcome;
import io.qshard.core.cycle.FrameworkCycle;
import io.qshard.core.cycle.RuntimeSteps;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.booking.NodeBooking;
import io.qshard.core.preemption.CrossTierCaps;
import io.qshard.core.queue.QueuedPod;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.usage.UsageReport;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.informer.ClusterEventListener;
import io.qshard.shard.binder.PodBinder;
import io.qshard.shard.preemption.PreemptionWriter;
import io.qshard.shard.shardmap.ShardMapWatcher;
import io.qshard.shard.status.StatusReporter;
import io.qshard.shard.usage.UsageTracker;
import io.qshard.shard.volume.VolumeWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler instance for one tier (and shard): a single decision thread owns the {@link DecisionState} and applies,
 * in arrival order, everything that reaches it through its inbox — informer events and binding outcomes. Per pod:
 * pop → {@link FrameworkCycle#schedule} on the current snapshot (decide, reserve — which assumes the pod in the state —
 * and permit) → {@link FrameworkCycle#bind} asynchronously → on success forget the queue entry; on failure
 * {@link FrameworkCycle#unreserve} and retry with backoff; already bound to this node → bound; bound to another node
 * or "pod gone" → unreserve at once and drop (no reservation is kept for a pod that is not on the node). Pods of other
 * schedulerNames are never touched; every bound pod, of any scheduler, is accounted (docs/architecture.md, "A scheduler
 * process").
 *
 * <p>Sharded tiers: the instance places only on its shard's active nodes for the map's phase ({@link ShardGate}) and
 * queues only the pending pods it owns; {@link ShardHandoff} releases nodes at once and acquires them only after
 * acknowledging the map; the instance decides only while it leads its shard's Lease ({@link #lead}) — a leader that
 * learns it lost the lease decides nothing more, sends no binding not yet sent, and lets those in flight land.
 *
 * <p>Everything it writes goes through the injected {@link SchedulerPorts}. Thread-safety: the
 * {@link ClusterEventListener} methods may be called from any thread (they only enqueue); {@link #start}/{@link #stop}/
 * {@link #kill} from a controlling thread; the getters from any thread.
 */
public final class TierScheduler implements ClusterEventListener, ShardMapWatcher.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(TierScheduler.class);
    private static final long IDLE_WAIT_MS = 20;
    /**
     * The largest healthy age of the decision loop's {@link #heartbeat()}: 30 s. The loop beats every iteration (at
     * least every {@value #IDLE_WAIT_MS} ms when idle), after every inbox event (so a full re-list's burst of events
     * does not age it) and every {@link #CAPACITY_BEAT} while it waits for the binder; only one decision stalling for
     * this long — far beyond any cold-path decision — or a loop stuck elsewhere ages it past this.
     */
    public static final Duration HEARTBEAT_MAX_AGE = Duration.ofSeconds(30);
    /** How often the loop beats while it waits for binder capacity. */
    private static final Duration CAPACITY_BEAT = Duration.ofSeconds(1);
    /**
     * The least time the loop waits for binder capacity before it counts the binder as stalled: 5 minutes. The bind
     * watchdog fails a request after {@link io.qshard.shard.binder.Binder#REQUEST_TIMEOUT} and PreBind waits at most
     * the volume bind timeout, so capacity frees well within this unless a completion was lost — then the loop dies
     * (fatal: {@code /healthz} fails and the process restarts) rather than beat forever without scheduling.
     */
    public static final Duration MIN_BINDER_STALL = Duration.ofMinutes(5);

    private final Tier tier;
    private final Clock clock;
    private final DecisionState decision;
    private final ClusterState state;
    private final SchedulingQueue queue;
    private final FrameworkCycle framework;
    private final PodBinder binder;
    private final int bindBatch;
    private final StatusReporter reporter;
    private final PreemptionWriter preemption;
    /** What the PostFilter's answers lead to, and this instance's own nominations (decision thread). */
    private final PreemptionSteps preemptions;

    private final SchedulerMetrics metrics = new SchedulerMetrics();
    private final UsageTracker usage;
    /** Where PreBind steps run without node bookings (null: the profile has none, or bookings are on). */
    private final ExecutorService preBind;
    /** Where PreBind steps run with node bookings (a volume lane and a booking lane), else null. */
    private final PreBindLanes lanes;
    /** Node bookings of this instance (its process's {@link io.qshard.core.booking.NodeBookings}), or null: off. */
    private final StateBookings bookings;

    private long nextUsageTick;
    private boolean usageChanged;
    private PlacementLedger ledger = new PlacementLedger();
    /** uids of pods other tiers of this process assumed and the informer has not confirmed yet (decision thread). */
    private final Set<String> peerAssumed = new HashSet<>();
    /**
     * uids of pods popped whose scheduling or binding cycle is not over and that the decision thread has not seen
     * deleted (or finished): written by the decision thread, read by PreBind threads (their fence).
     */
    private final Set<String> cycling = ConcurrentHashMap.newKeySet();

    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Heartbeat heartbeat;
    /** {@link #MIN_BINDER_STALL}, or the volume bind timeout plus two request timeouts plus a minute if longer. */
    private final Duration binderStall;

    private volatile boolean running;
    private volatile ClusterSnapshot lastSnapshot = ClusterSnapshot.empty();
    private long seed;
    private final ShardGate gate;
    private final ShardHandoff handoff;
    private volatile boolean leading;
    private volatile int activeCount;
    private volatile boolean ignoredMapWarned;

    /**
     * An instance for shard {@code shard} of {@code tier}; it leads at once unless {@link #lead} is driven by an
     * election ({@code settings.leaseNamespace()} set). It closes {@code ports} when it stops.
     */
    public TierScheduler(
            Tier tier,
            int shard,
            QshardConfig config,
            PluginRegistry registry,
            SchedulerSettings settings,
            Clock clock,
            SchedulerPorts ports) {
        this.gate = new ShardGate(tier.name(), shard, tier.shards(), config.shardRotation());
        this.leading = settings.leaseNamespace() == null;
        this.tier = tier;
        this.clock = clock;
        this.usage = new UsageTracker(config);
        this.state = new ClusterState();
        this.binder = ports.binder();
        this.reporter = ports.reporter();
        this.preemption = ports.preemption();
        this.bindBatch = SchedulerPorts.bindBatch(settings);
        String name = "qshard-" + tier.name() + (tier.shards() > 1 ? "-" + shard : "");
        StateVolumeBinder volumes = new StateVolumeBinder(
                state,
                ports.volumes(),
                this::preBindFence,
                d -> ledger.volumesAssumed(this, d),
                d -> ledger.volumesForgotten(this, d));
        MigrationConfig m = config.migration();
        // the instance's cross-tier eviction caps: DefaultPreemption reads them, PreemptionSteps records into them
        CrossTierCaps caps =
                new CrossTierCaps(m.maxEvictionsPerMinute(), m.maxPerNode(), m.maxPerWorkload(), m.cooldown());
        this.bookings =
                ports.bookings() == null ? null : new StateBookings(state, ports.bookings(), this::preBindFence, clock);
        // with bookings every pod has a PreBind: pods without volumes take the booking lane, never the volume waits
        this.lanes = bookings == null
                ? null
                : new PreBindLanes(
                        preBindExecutor(settings.bindConcurrency(), name + "-prebind"),
                        preBindExecutor(settings.bindConcurrency(), name + "-book"));
        PluginContext context = new PluginContext(config.pools(), clock)
                .withVolumes(lanes == null ? volumes : lanes.recording(volumes))
                .withEvictions(caps);
        Profile profile = bookings == null
                ? Profile.build(tier, registry, context)
                : Profile.build(withNodeBooking(tier), registry, context.withBookings(bookings));
        this.preBind = lanes != null || profile.preBinds().isEmpty()
                ? null
                : preBindExecutor(settings.bindConcurrency(), name + "-prebind");
        var assumed = new HashMap<String, String>();
        var nodes = new HashMap<String, Node>();
        RuntimeSteps runtime = new RuntimeSteps(
                List.of(new CacheReservation(
                        state, assumed, p -> ledger.assumed(this, p), uid -> ledger.forgotten(this, uid))),
                List.of(new LeasePermit(() -> leading, gate)),
                new ApiBind(binder, () -> leading),
                lanes != null ? lanes : preBind == null ? Runnable::run : preBind,
                (plugin, point, pod, e) -> {
                    metrics.errors.increment();
                    LOG.error(
                            "tier {}: {} plugin {} failed on {} (a bug; the cycle went on)",
                            tier.name(),
                            point,
                            plugin,
                            pod.key(),
                            e);
                });
        this.framework = new FrameworkCycle(profile, config.nodesToScore(), config.equivalentPodReuse(), runtime);
        // the queue asks the framework's PreEnqueue plugins (if any) before it takes a pod
        this.queue = new SchedulingQueue(
                clock,
                config.backoff(),
                config.unschedulableTimeout(),
                framework.gatesPods() ? framework::preEnqueue : null);
        this.decision = new DecisionState(state, queue, assumed, nodes, usage);
        this.preemptions = new PreemptionSteps(tier.name(), state, queue, preemption, caps, metrics, clock, inbox::add);
        this.handoff = new ShardHandoff(
                gate, settings.identity(), ports.acks(), ports.keeper(), decision, clock, inbox::add, () -> leading);
        this.heartbeat = new Heartbeat(clock);
        Duration longest = settings.volumeBindTimeout()
                .plus(io.qshard.shard.binder.Binder.REQUEST_TIMEOUT.multipliedBy(2))
                .plusMinutes(1);
        this.binderStall = longest.compareTo(MIN_BINDER_STALL) > 0 ? longest : MIN_BINDER_STALL;
        this.thread = new Thread(this::loop, name + "-decide");
    }

    /**
     * {@code tier} with the NodeBooking plugin first (by class name: any registry builds it), so that a pod is booked
     * before any other PreBind writes for it (VolumeBinding's claims); moved to the front if its plugins name it.
     */
    private static Tier withNodeBooking(Tier tier) {
        String byClass = NodeBooking.class.getName();
        List<String> plugins = new ArrayList<>(tier.plugins().size() + 1);
        plugins.add(byClass);
        for (String p : tier.plugins()) {
            if (!p.equals(NodeBooking.NAME) && !p.equals(byClass)) {
                plugins.add(p);
            }
        }
        return new Tier(
                tier.name(),
                tier.schedulerName(),
                tier.priority(),
                tier.poolRule(),
                plugins,
                tier.scoreWeights(),
                tier.shards(),
                tier.topology(),
                tier.fit());
    }

    /**
     * Where PreBind runs: never on the decision thread, only for pods a PreBind plugin has work for (VolumeBinding:
     * claims to bind, whose step waits up to {@code --volume-bind-timeout} for the PV controller, mostly asleep). At
     * most {@code threads} ({@code --bind-concurrency}, default 32) PreBinds run — wait — at once per instance; the
     * others queue, first in first out and unbounded, and start as those end (a queued one whose pod was deleted, or
     * whose instance lost its lease, ends at once when it starts). Idle threads end after a minute. The queue never
     * pushes back on the decision thread: a pod in PreBind has no binding in the binder yet, so it does not count
     * against the binder's capacity either, and the thread goes on deciding (kube-scheduler runs every binding cycle
     * in its own goroutine). Work handed over after shutdown is dropped (the instance is stopping). With node bookings
     * there are two such pools, one for pods with volume work and one for the others ({@link PreBindLanes}).
     */
    private static ThreadPoolExecutor preBindExecutor(int threads, String threadName) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> daemon(r, threadName),
                (r, executor) -> LOG.debug("{}: pre-bind step dropped, the scheduler is stopping", threadName));
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /**
     * The fence of {@code pod}'s PreBind (any thread): it stops once this instance no longer leads its shard, or once
     * the decision thread has seen the pod deleted (kube 1.20's {@code checkBindings}: "pod does not exist any
     * more").
     */
    private VolumeWriter.Fence preBindFence(PodRequest pod) {
        String gone = "pod does not exist any more: pods \"" + pod.name() + "\" not found";
        String lost = "this instance no longer leads its shard (tier " + tier.name() + " shard " + gate.shard() + ")";
        return () -> !leading ? lost : cycling.contains(pod.uid()) ? null : gone;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public Tier tier() {
        return tier;
    }

    public SchedulerMetrics metrics() {
        return metrics;
    }

    /** Decisions made from an equivalent pod's window so far (thread-safe). */
    public long decisionsReused() {
        return framework.reusedDecisions();
    }

    /** Preemption writes (victim deletes, Events, nominations) that failed so far (thread-safe). */
    public long preemptionWriteFailures() {
        return preemption.failures();
    }

    /** Queue depths (thread-safe). */
    public SchedulingQueue.Sizes queueSizes() {
        return queue.sizes();
    }

    /** The snapshot of the last decision or of the last second's tick, whichever is newer (for explain and metrics; read-only). */
    public ClusterSnapshot snapshot() {
        return lastSnapshot;
    }

    /** Usage reports applied, rejected and gone stale (counters are thread-safe). */
    public UsageTracker usage() {
        return usage;
    }

    /** Events and condition writes done / dropped. */
    public StatusReporter reporter() {
        return reporter;
    }

    /** The shard this instance schedules. */
    public int shard() {
        return gate.shard();
    }

    /** Whether this instance decides now (leads its shard, or runs without election). */
    public boolean leading() {
        return leading;
    }

    /** How many nodes this instance places on now (all of the tier's nodes when unsharded). */
    public int activeNodes() {
        return activeCount;
    }

    /**
     * Leadership of this shard's Lease was won or lost. Losing it stops decisions and bindings at once: the loop
     * does not pop, a decision under way is refused at Permit, bindings not yet sent are abandoned, and PreBinds
     * (volume bindings) write nothing more and end at their next look (their fence).
     */
    public void lead(boolean on) {
        leading = on;
        if (on) {
            inbox.add(() -> {
                handoff.leadershipGained(); // a new leader acknowledges the map it acts on
                queue.onClusterEvent();
            });
        } else {
            int abandoned = binder.abandonQueued("leadership lost before the binding was sent");
            if (abandoned > 0) {
                LOG.info(
                        "tier {} shard {}: {} decided bindings not sent (leadership lost)",
                        tier.name(),
                        gate.shard(),
                        abandoned);
            }
        }
        LOG.info("tier {} shard {}: {}", tier.name(), gate.shard(), on ? "leading" : "standing by");
    }

    /** The shard-map epoch this instance last acknowledged (0: none yet, or an unsharded tier). Thread-safe. */
    public long acknowledgedEpoch() {
        return handoff.acknowledgedEpoch();
    }

    /**
     * Why this instance does not decide now, or empty when it does: it leads its shard and, for a sharded tier, has
     * acknowledged a shard map. Thread-safe (for {@code /readyz}).
     */
    public Optional<String> notReadyReason() {
        String who = "tier " + tier.name() + " shard " + gate.shard();
        if (!thread.isAlive()) {
            return Optional.of(who + ": decision thread not running");
        }
        if (!leading) {
            return Optional.of(who + ": not leading (standby)");
        }
        if (gate.sharded() && handoff.acknowledgedEpoch() == 0) {
            return Optional.of(who + ": no shard map acknowledged yet");
        }
        return Optional.empty();
    }

    /** Whether the decision thread is alive. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * The decision loop's heartbeat (thread-safe): beaten every iteration, fatal as soon as the loop dies of something
     * its per-event and per-pod guards did not catch. Healthy while younger than {@link #HEARTBEAT_MAX_AGE}.
     */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /**
     * Test hook ({@code qshard run --test-hooks}, {@code POST /debug/kill?loop=decision}): the decision loop throws an
     * {@link Error} from its next inbox event, as a broken invariant would — it dies and its heartbeat goes fatal. Any
     * thread.
     */
    public void injectFatalError(String why) {
        inbox.add(() -> {
            throw new InjectedFault(why);
        });
    }

    /** What {@link #injectFatalError} throws inside the loop. */
    static final class InjectedFault extends Error {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message);
        }
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
                queue.onAssignedPod(bound); // pods waiting for it as their affinity partner need not wait for the bind
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

    /**
     * Another tier of this process assumed a volume decision: its PVs and provisionings count as taken here too, until
     * it forgets them or the informer shows the API's answer (as this tier's own assumptions).
     */
    void peerAssumedVolumes(io.qshard.core.volume.VolumeDecision decision) {
        inbox.add(() -> state.assumeVolumes(decision));
    }

    /** Another tier of this process forgot a volume decision. */
    void peerForgotVolumes(io.qshard.core.volume.VolumeDecision decision) {
        inbox.add(() -> state.forgetVolumes(decision));
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
                LOG.warn(
                        "tier {}: {} bindings still in flight and {} not sent after {}; abandoning them",
                        tier.name(),
                        binder.inFlight(),
                        binder.queued(),
                        grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closePorts();
        org.HdrHistogram.Histogram d = metrics.decisionHistogram();
        LOG.info(
                "tier {} scheduler stopped: {} bound, {} unschedulable decisions, bind errors {}; decision p50 {} µs, p99 {} µs,"
                        + " {} of {} decisions reused an equivalent pod's window",
                tier.name(),
                metrics.bound.sum(),
                metrics.unschedulable.sum(),
                metrics.bindErrors.sum(),
                d.getValueAtPercentile(50) / 1000,
                d.getValueAtPercentile(99) / 1000,
                framework.reusedDecisions(),
                d.getTotalCount());
    }

    /** Abrupt stop (tests: "kill -9" of the decision loop); in-flight bindings are not waited for. */
    public void kill() {
        running = false;
        thread.interrupt();
        join();
        closePorts();
    }

    private void closePorts() {
        binder.close();
        reporter.close();
        preemption.close();
        handoff.close();
        if (preBind != null) {
            preBind.shutdownNow();
        }
        if (lanes != null) {
            lanes.shutdownNow();
        }
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
            Node previous = decision.nodes().put(node.name(), node);
            if (!gate.isActive(node.name())) {
                state.observeNode(node); // another shard's: its labels still define topology domains
                if (previous == null
                        || !previous.labels().equals(node.labels())
                        || !previous.taints().equals(node.taints())) {
                    queue.onClusterEvent(); // a new or relabelled domain may let a spread or affinity pod fit
                }
                return;
            }
            // heartbeats change nothing the scheduler sees: only real changes wake unschedulable pods
            boolean changed =
                    state.node(node.name()).map(s -> !s.node().equals(node)).orElse(true);
            if (changed) {
                state.upsertNode(node);
                usage.nodeKnown(node.name(), state, clock.instant());
                queue.onClusterEvent();
            }
        });
    }

    @Override
    public void nodeDeleted(String name) {
        inbox.add(() -> {
            decision.nodes().remove(name);
            state.deleteNode(name);
        });
    }

    @Override
    public void shardMap(ShardMapWatcher.Update update) {
        if (!update.view().tier().equals(tier.name())) {
            return;
        }
        if (!gate.sharded()) {
            if (!ignoredMapWarned) {
                ignoredMapWarned = true;
                LOG.warn(
                        "tier {} is configured with 1 shard: ignoring ShardMap {} ({} shards, epoch {}); set its shards in "
                                + "qshard.yaml to use it, or delete it",
                        tier.name(),
                        tier.name(),
                        update.view().shards(),
                        update.view().epoch());
            }
            return;
        }
        inbox.add(() -> handoff.onMap(update));
    }

    @Override
    public void podUpserted(PodRequest pod, boolean finished, boolean deleting) {
        inbox.add(() -> applyPod(pod, finished, deleting));
    }

    @Override
    public void usageReported(UsageReport report) {
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

    @Override
    public boolean readsTopology() {
        return true;
    }

    // as in kube-scheduler 1.20, a Service event moves unschedulable pods back to the queue; a controller or
    // namespace change does not (they are retried on their timeout)

    @Override
    public void controllerSelector(String namespace, String uid, io.qshard.core.model.LabelSelector selector) {
        inbox.add(() -> state.controllerSelector(namespace, uid, selector));
    }

    @Override
    public void serviceSelector(String namespace, String key, java.util.Map<String, String> selector) {
        inbox.add(() -> {
            state.serviceSelector(namespace, key, selector);
            queue.onClusterEvent();
        });
    }

    @Override
    public void namespaceLabels(String namespace, java.util.Map<String, String> labels) {
        inbox.add(() -> state.namespaceLabels(namespace, labels));
    }

    @Override
    public void disruptionBudget(String namespace, String name, io.qshard.core.model.DisruptionBudget budget) {
        inbox.add(() -> state.budget(namespace, name, budget));
    }

    // as in kube-scheduler 1.20, a claim, PV, StorageClass or CSINode added or changed moves unschedulable pods back to
    // the queue (their deletion does not); so does a volume source becoming listed or forbidden

    @Override
    public boolean readsVolumes() {
        return true;
    }

    @Override
    public void claim(String namespace, String name, io.qshard.core.volume.VolumeClaim claim) {
        inbox.add(() -> {
            if (claim == null) {
                state.deleteClaim(namespace, name);
            } else {
                state.upsertClaim(claim);
                queue.onClusterEvent();
            }
        });
    }

    @Override
    public void persistentVolume(String name, io.qshard.core.volume.PersistentVolume volume) {
        inbox.add(() -> {
            if (volume == null) {
                state.deleteVolume(name);
            } else {
                state.upsertVolume(volume);
                queue.onClusterEvent();
            }
        });
    }

    @Override
    public void storageClass(String name, io.qshard.core.volume.StorageClass storageClass) {
        inbox.add(() -> {
            state.storageClass(name, storageClass);
            if (storageClass != null) {
                queue.onClusterEvent();
            }
        });
    }

    @Override
    public void csiNode(String name, io.qshard.core.volume.CsiNodeLimits limits) {
        inbox.add(() -> {
            state.csiNode(name, limits);
            if (limits != null) {
                queue.onClusterEvent();
            }
        });
    }

    @Override
    public void volumeSources(io.qshard.core.volume.VolumeSources sources) {
        inbox.add(() -> {
            state.volumeSources(sources);
            queue.onClusterEvent();
        });
    }

    // ---- decision thread --------------------------------------------------------------------------

    private void applyPod(PodRequest pod, boolean finished, boolean deleting) {
        if (finished) {
            forgetPod(pod.uid());
            queue.onClusterEvent();
        } else if (pod.nodeName() != null) {
            decision.assumed().remove(pod.uid()); // confirmed, or bound by someone else: the API is the truth
            preemptions.forget(pod.uid()); // its nomination ends in upsertPod: bound, its room is its own
            peerAssumed.remove(pod.uid());
            state.upsertPod(pod);
            queue.delete(pod.uid());
            queue.onAssignedPod(pod); // 1.20's AssignedPodAdded/Updated: wakes pods whose required affinity it meets
            reporter.forget(pod.uid());
            handoff.forget(pod.uid());
        } else {
            PodRequest known = preemptions.merge(pod); // with this instance's nomination until the API shows it
            if (deleting || state.nodeOf(pod.uid()).isPresent()) { // assumed here or by a peer: it holds its room
                state.unnominate(pod.uid());
            } else {
                state.nominate(known); // any scheduler's: its nominated room counts in every tier's filters
            }
            pendingOwn(known, deleting);
        }
    }

    private void pendingOwn(PodRequest pod, boolean deleting) {
        if (tier.name().equals(pod.tier())) {
            if (deleting) {
                queue.delete(pod.uid());
                handoff.forget(pod.uid());
            } else if (!gate.sharded()) {
                if (!decision.assumed().containsKey(pod.uid())) {
                    queue.add(pod);
                }
            } else {
                handoff.pending(pod);
            }
        }
    }

    private void forgetPod(String uid) {
        if (bookings != null) {
            bookings.podGone(uid); // deleted or finished: a booking of it counts no more
        }
        cycling.remove(uid); // its PreBind, if any, stops
        decision.assumed().remove(uid);
        preemptions.forget(uid);
        state.removePod(uid);
        queue.delete(uid);
        reporter.forget(uid);
        handoff.forget(uid);
    }

    private void loop() {
        try {
            while (running) {
                heartbeat.beat();
                applyInbox();
                usageTickGuarded();
                Optional<QueuedPod> next = ready() ? queue.pop() : Optional.empty();
                if (next.isPresent()) {
                    cycling.add(next.get().uid());
                    awaitBinderCapacity();
                    lockLedger();
                    try {
                        applyInbox(); // peers' placements made before this decision
                        scheduleOne(next.get());
                    } finally {
                        ledger.lock().unlock();
                    }
                } else {
                    Runnable r = inbox.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        apply(r);
                    }
                }
            }
        } catch (InterruptedException e) {
            if (running) { // nothing but stop() and kill() interrupts this thread, and they stop it first
                died(e);
            }
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            died(e); // escaped the per-event and per-pod guards, or an Error: an invariant is broken
        }
    }

    /**
     * The loop cannot go on: its heartbeat goes fatal at once ({@code /healthz} fails; with {@code --exit-on-fatal} the
     * process stops and exits non-zero, so it is restarted).
     */
    private void died(Throwable e) {
        LOG.error(
                "tier {} shard {}: the decision loop died (a bug: an invariant is broken); /healthz fails from now on",
                tier.name(),
                gate.shard(),
                e);
        heartbeat.fatal(e);
    }

    /**
     * {@link #usageTick}, guarded as an inbox event is: an exception (a bug, perhaps triggered by one usage report) is
     * logged and counted, and the loop goes on — the next tick tries again.
     */
    private void usageTickGuarded() {
        try {
            usageTick();
        } catch (RuntimeException e) {
            metrics.errors.increment();
            LOG.error("tier {}: the usage tick failed (a bug; the tier goes on)", tier.name(), e);
        }
    }

    /**
     * Takes the process-wide ledger lock, beating the heartbeat every second meanwhile: a peer tier may hold it through
     * a re-list's burst of events, and this loop is alive all the same.
     */
    private void lockLedger() throws InterruptedException {
        while (!ledger.lock().tryLock(CAPACITY_BEAT.toMillis(), TimeUnit.MILLISECONDS)) {
            heartbeat.beat();
        }
    }

    /** Runs everything in the inbox; each event beats the heartbeat (a re-list's burst may be long). */
    private void applyInbox() {
        for (Runnable r; (r = inbox.poll()) != null; ) {
            apply(r);
            heartbeat.beat();
        }
    }

    /**
     * Waits until the binder can take {@link #bindBatch} more, beating every {@link #CAPACITY_BEAT} meanwhile; throws
     * (the loop dies) once it has waited longer than {@link #binderStall}.
     */
    private void awaitBinderCapacity() throws InterruptedException {
        long since = clock.millis();
        while (!binder.awaitCapacity(bindBatch, CAPACITY_BEAT)) {
            if (clock.millis() - since > binderStall.toMillis()) {
                throw new IllegalStateException("the binder freed no capacity for " + binderStall.toSeconds()
                        + " s: a binding's completion was lost (the loop cannot go on)");
            }
            heartbeat.beat();
        }
    }

    /**
     * Runs one event of the inbox. An exception from it is a bug, but one event must not stop the tier: it is logged,
     * counted ({@code result="error"}) and the event skipped; the loop goes on with the next.
     */
    private void apply(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            metrics.errors.increment();
            LOG.error(
                    "tier {}: an event could not be applied and was skipped (a bug; the tier goes on)", tier.name(), e);
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
        if (usageChanged) {
            usageChanged = false;
            queue.onClusterEvent();
        }
        if (bookings != null) {
            bookings.expire();
        }
        lastSnapshot = state.snapshot(); // for /metrics and explain while idle; snapshots are immutable and cheap
        activeCount = lastSnapshot.size();
        handoff.tick(clock.instant());
    }

    /**
     * Decides {@code q}, popped and in {@link #cycling}; it leaves that set here unless its binding cycle starts. An
     * exception while deciding it — a bug, in a plugin or in the runtime — is that pod's failure only
     * ({@link #podFailed}): the loop goes on with the next pod.
     */
    private void scheduleOne(QueuedPod q) {
        PodRequest pod = q.pod();
        CycleOutcome.Reserved reserved = null; // reserved and not handed to the binding cycle
        try {
            if (state.nodeOf(pod.uid()).isPresent() || !cycling.contains(pod.uid())) { // bound, or deleted since popped
                cycling.remove(pod.uid());
                queue.done(pod.uid());
                return;
            }
            ClusterSnapshot snapshot = state.snapshot();
            lastSnapshot = snapshot;
            CycleOutcome outcome = framework.schedule(snapshot, pod, seed++);
            if (outcome instanceof CycleOutcome.Reserved r) {
                reserved = r;
                metrics.decision(outcome.decisionNanos());
                handOver(q, r);
                metrics.scheduled.increment();
                return;
            }
            cycling.remove(pod.uid());
            metrics.decision(outcome.decisionNanos());
            if (outcome instanceof CycleOutcome.Unschedulable u) {
                metrics.unschedulable.increment();
                if (framework.hasPostFilters()) {
                    preemptions.apply(pod, u.postFilter());
                }
                queue.requeueUnschedulable(q);
                reporter.unschedulable(pod, u.diagnosis().message());
            } else {
                metrics.rejected.increment();
                queue.requeueAfterError(q); // lost the lease, or the node left the shard, while deciding
            }
        } catch (RuntimeException | StackOverflowError e) { // a plugin recursing on one pathological pod is its failure
            podFailed(q, reserved, e);
        }
    }

    /**
     * Starts {@code r}'s binding cycle; its outcome reaches the inbox. Returns normally once the cycle owns the pod.
     * Throws only if the cycle failed before it took the pod: the reservation is then still the caller's to undo. The
     * two cannot both happen — whichever comes first (the outcome, or the exception) settles the pod, and an outcome
     * after a settled exception is dropped (the API's atomic binding is the backstop if it was written all the same).
     */
    private void handOver(QueuedPod q, CycleOutcome.Reserved r) {
        AtomicBoolean settled = new AtomicBoolean();
        try {
            if (lanes != null) {
                lanes.starting(r.pod());
            }
            framework.bind(r, result -> {
                if (settled.compareAndSet(false, true)) {
                    inbox.add(() -> {
                        cycling.remove(q.uid());
                        onBound(q, r, result);
                    });
                }
            });
        } catch (RuntimeException e) {
            if (settled.compareAndSet(false, true)) {
                throw e;
            }
            metrics.errors.increment();
            LOG.error(
                    "tier {}: the binding cycle of {} failed after it took the pod",
                    tier.name(),
                    q.pod().key(),
                    e);
        }
    }

    /**
     * An exception while deciding {@code q} (a bug): logged with the pod's name, counted ({@code result="error"}), what
     * was reserved and not handed to a binding cycle undone, the pod requeued with backoff and told why (a
     * {@code FailedScheduling} Event, as kube-scheduler 1.20 reports a scheduling error). Each step is guarded on its
     * own: a broken port must not keep the others from running, nor stop the loop.
     */
    private void podFailed(QueuedPod q, CycleOutcome.Reserved reserved, Throwable e) {
        PodRequest pod = q.pod();
        cycling.remove(pod.uid());
        metrics.errors.increment();
        LOG.error(
                "tier {}: error deciding {} (a bug; retrying it with backoff, the tier goes on)",
                tier.name(),
                pod.key(),
                e);
        if (reserved != null) {
            guarded(pod, "unreserve", () -> unreserve(reserved));
        }
        guarded(pod, "requeue", () -> queue.requeueAfterError(q)); // a no-op if it was requeued before the failure
        // idempotent; the cycle's own undo may have ended the nomination
        guarded(pod, "renominate", () -> renominate(pod));
        guarded(pod, "report", () -> reporter.unschedulable(pod, "scheduler error (retrying with backoff): " + e));
    }

    private void guarded(PodRequest pod, String step, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            metrics.errors.increment();
            LOG.error("tier {}: {} of {} after its error failed too", tier.name(), step, pod.key(), e);
        }
    }

    private void onBound(QueuedPod q, CycleOutcome.Reserved r, BindResult result) {
        PodRequest pod = q.pod();
        switch (result.code()) {
            case BOUND, ALREADY_BOUND -> { // ALREADY_BOUND: on this very node (an earlier answer was lost): it stands
                metrics.bound.increment();
                metrics.endToEnd(clock.millis() - q.firstSeen().toEpochMilli());
                queue.done(pod.uid());
                reporter.scheduled(pod, r.node());
            }
            case BOUND_ELSEWHERE -> {
                metrics.alreadyBound.increment();
                LOG.info(
                        "tier {}: {} was bound elsewhere before our binding to {}: {}",
                        tier.name(),
                        pod.key(),
                        r.node(),
                        result.message());
                unreserve(r); // never keep a reservation for a pod not on the node: the informer places it
                queue.done(pod.uid());
            }
            case POD_GONE -> {
                metrics.podGone.increment();
                unreserve(r);
                queue.done(pod.uid());
            }
            case NOT_SENT -> {
                unreserve(r); // abandoned before it was written: the pod is still pending
                queue.requeueAfterError(q);
                renominate(q.pod());
            }
            case FAILED -> {
                if (NodeBooking.isRefusal(result.message())) { // expected contention: not a bind error
                    LOG.debug("tier {}: {} not booked on {}: {}", tier.name(), pod.key(), r.node(), result.message());
                    reporter.unschedulable(pod, result.message() + " (retrying with backoff)");
                } else {
                    metrics.bindErrors.increment();
                    LOG.warn(
                            "tier {}: binding {} to {} failed: {} (retrying with backoff)",
                            tier.name(),
                            pod.key(),
                            r.node(),
                            result.message());
                }
                unreserve(r);
                queue.requeueAfterError(q);
                renominate(q.pod());
            }
        }
    }

    /** After a failed binding the pod is pending again: its nomination (assuming it dropped it) holds its room again. */
    private void renominate(PodRequest pod) {
        PodRequest known = preemptions.merge(pod);
        if (known.details().nominatedNode() != null && state.nodeOf(pod.uid()).isEmpty()) {
            state.nominate(known);
        }
    }

    /**
     * Undoes a failed binding's reservation: every Unreserve plugin runs, always, as in kube-scheduler (VolumeBinding
     * forgets the PVs and provisionings it assumed). Only the runtime's own cache reservation is skipped when the pod
     * reflector has already removed the pod's assumption ({@link CacheReservation#unreserve} checks it): the pod was
     * seen bound meanwhile (a binding answered late, or a timeout after it was written; the API is the truth), or
     * deleted.
     */
    private void unreserve(CycleOutcome.Reserved r) {
        framework.unreserve(r);
    }

    // ---- sharding (decision thread) ----------------------------------------------------------------

    /**
     * Whether to decide now: while leading, and — for a sharded tier — once it has a map and no acquired node waits
     * for its acknowledgement (deciding on part of its nodes would call pods unschedulable that fit a moment later).
     */
    private boolean ready() {
        return leading && (!gate.sharded() || handoff.settled());
    }
}
