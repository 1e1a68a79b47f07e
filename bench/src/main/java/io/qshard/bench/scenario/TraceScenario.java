package io.qshard.bench.scenario;

import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.isolation.IsolationPolicy;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.BatchAdvertiser;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.ClassUsage;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageView;
import io.qshard.shard.usage.UsageTracker;
import io.qshard.simulator.NodeUsageFigures;
import io.qshard.simulator.TraceLoad;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Plays one {@link ScenarioOptions} on a simulated clock with qshard's own parts: the {@link ClusterState} and the
 * tiers' {@link SchedulingAlgorithm}s (the shipped plugins and the tier profiles of the config), the
 * {@link UsageTracker} with its predictors (fed with the scenario's timestamps, so a 30-minute horizon is 30 simulated
 * minutes), the {@link BatchAdvertiser} and the node agent's {@link IsolationPolicy}. No apiserver: a placement is
 * bound at once, and every node reports every step. What it measures is the policy — pools, predictions, isolation,
 * migration — on real traces; the ITs and the e2e benches measure the machinery on the real apiserver.
 * Single-threaded; one instance per run.
 */
public final class TraceScenario {
    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final int GIVE_UP_AFTER = 20;

    private final ScenarioOptions o;
    private final ClusterState state = new ClusterState();
    private final UsageTracker tracker;
    private final Map<String, SchedulingAlgorithm> algorithms = new HashMap<>();
    private final NodeRoom room;
    private final BatchAdvertiser advertiser;
    private final IsolationPolicy isolation;
    private final TraceLoad load;
    private final JobStream stream;
    private final Map<String, Deque<PodRequest>> pending = new HashMap<>();
    private final Set<String> pendingUids = new HashSet<>();
    private final Set<String> controllers = new HashSet<>();
    private final Map<String, Long> runtimes = new HashMap<>();
    private final PriorityQueue<Running> running = new PriorityQueue<>((a, b) -> Long.compare(a.end, b.end));
    private final Map<String, Long> lastProdMid = new HashMap<>();
    private final ScenarioResult.Builder result;
    private final List<StepHook> hooks = new ArrayList<>();
    private long seed;

    /** Something that acts on the fleet after every report round (e.g. the migration loop). */
    public interface StepHook {
        /** @param scenario the scenario (its state and queue), @param now the simulated time */
        void afterReports(TraceScenario scenario, Instant now);
    }

    private record Running(String uid, long end) {}

    public TraceScenario(ScenarioOptions options) {
        this.o = options;
        this.tracker = new UsageTracker(options.config());
        this.room = new NodeRoom(options.config().pools());
        this.advertiser = new BatchAdvertiser(
                BatchAdvertiser.holdDownFor(options.step()), BatchAdvertiser.DEFAULT_CHANGE_THRESHOLD);
        this.isolation =
                options.isolation() ? IsolationPolicy.of(options.config().pools()) : null;
        this.load = new TraceLoad(options.traces(), 1);
        this.stream = new JobStream(options.jobs(), options.config(), options.seed());
        this.seed = options.seed();
        this.result = new ScenarioResult.Builder(options.hotThreshold());
        PluginContext context =
                new PluginContext(options.config().pools(), java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
        for (String tier : List.of("batch", "free")) {
            Profile p = Profile.build(options.config().tier(tier), ShippedPlugins.registry(), context);
            algorithms.put(tier, new SchedulingAlgorithm(p, options.config().nodesToScore()));
            pending.put(tier, new ArrayDeque<>());
        }
        buildFleet();
    }

    /** Adds a hook run after every report round. */
    public TraceScenario with(StepHook hook) {
        hooks.add(hook);
        return this;
    }

    /** Runs the whole scenario. */
    public ScenarioResult run() {
        long stepSeconds = o.step().toSeconds();
        long end = o.warmUp().plus(o.measured()).toSeconds();
        for (long t = 0; t < end; t += stepSeconds) {
            Instant now = T0.plusSeconds(t);
            boolean measuring = t >= o.warmUp().toSeconds();
            finishJobs(t);
            report(now, t, measuring);
            for (StepHook h : hooks) {
                h.afterReports(this, now);
            }
            refill(now);
            schedule("batch", now, t);
            schedule("free", now, t);
            if (measuring) {
                result.pendingStep(pendingUids.size(), borrowingPods(), stepSeconds);
            }
        }
        return result.build(o.measured());
    }

    // ---- what hooks may use --------------------------------------------------------------------------------

    /** The cluster as the schedulers see it. */
    public ClusterState state() {
        return state;
    }

    /** The usage view (its predictions and hotspot view). */
    public UsageTracker tracker() {
        return tracker;
    }

    /** The algorithm of a tier (to check that a pod fits elsewhere). */
    public SchedulingAlgorithm algorithm(String tier) {
        return algorithms.get(tier);
    }

    /**
     * Puts a pod in its tier's pending queue (last), as a controller creating it would.
     *
     * @param pod            a pending pod of the batch or free tier with a new uid
     * @param runtimeSeconds how long it runs once placed, simulated seconds, ≥ 1
     */
    public void submit(PodRequest pod, long runtimeSeconds) {
        Deque<PodRequest> queue = pending.get(pod.tier());
        if (queue == null || runtimeSeconds < 1 || !pendingUids.add(pod.uid())) {
            throw new IllegalArgumentException("cannot submit " + pod.uid() + " (tier " + pod.tier() + ", runtime "
                    + runtimeSeconds + " s): a new batch or free pod with a runtime >= 1 s");
        }
        runtimes.put(pod.uid(), runtimeSeconds);
        queue.addLast(pod);
    }

    /** Deletes a pending or bound pod (a controller scaling down); @return whether it was there */
    public boolean remove(String uid) {
        if (pendingUids.remove(uid)) {
            pending.values().forEach(q -> q.removeIf(p -> p.uid().equals(uid)));
            runtimes.remove(uid);
            return true;
        }
        if (state.nodeOf(uid).isPresent()) {
            state.removePod(uid);
            return true;
        }
        return false;
    }

    /** @return whether the pod waits in a pending queue */
    public boolean isPending(String uid) {
        return pendingUids.contains(uid);
    }

    /** @return whether the pod is bound to a node */
    public boolean isBound(String uid) {
        return state.nodeOf(uid).isPresent();
    }

    /** The pods of this controller (owner uid) are re-created by it, not by {@link #evict}. */
    public TraceScenario controlledBy(String ownerUid) {
        controllers.add(ownerUid);
        return this;
    }

    /** @return the pending pods of the borrowing tiers, batch first, each queue in its order */
    public List<PodRequest> pendingPods() {
        List<PodRequest> out = new ArrayList<>(pending.get("batch"));
        out.addAll(pending.get("free"));
        return out;
    }

    /** @return whether {@code now} is in the measured part of the run */
    public boolean measuring(Instant now) {
        return now.getEpochSecond() - T0.getEpochSecond() >= o.warmUp().toSeconds();
    }

    /** Counts {@code writes} replica changes made at {@code now} (counted only while measuring). */
    public void replicaChanges(int writes, Instant now) {
        if (measuring(now)) {
            result.replicaChanges(writes);
        }
    }

    /** Evicts a running pod: its controller re-creates it (pending, new uid), and the eviction is counted. */
    public void evict(String uid, Instant now) {
        String node = state.nodeOf(uid).orElse(null);
        if (node == null) {
            return;
        }
        PodRequest pod = state.node(node).orElseThrow().pods().stream()
                .filter(p -> p.uid().equals(uid))
                .findFirst()
                .orElseThrow();
        state.removePod(uid);
        runtimes.remove(uid);
        if (pod.owner() != null && controllers.contains(pod.owner().uid())) { // it re-creates its own pods
            result.evicted(measuring(now));
            return;
        }
        PodRequest again = stream.recreate(pod, now);
        runtimes.put(again.uid(), stream.runtime()); // a fresh runtime: the work restarts
        pending.get(again.tier()).addFirst(again);
        pendingUids.add(again.uid());
        result.evicted(now.getEpochSecond() - T0.getEpochSecond() >= o.warmUp().toSeconds());
    }

    // ---- the loop --------------------------------------------------------------------------------------------

    private void buildFleet() {
        long cpu = o.nodeCpuMilli();
        long memory = o.nodeMemoryBytes();
        for (int i = 0; i < o.nodes(); i++) {
            String name = String.format("n-%04d", i);
            state.upsertNode(Node.of(name, Map.of(), List.of(), new Resources(cpu, memory, 110, 0, 0), false));
            for (int k = 0; k < 4; k++) { // prod: four pods requesting prodRequestFraction of the cpu together
                PodRequest prod = new PodRequest(
                        "prod-" + i + "-" + k,
                        "scenario",
                        "prod-" + i + "-" + k,
                        "prod",
                        PoolRule.ALLOCATABLE,
                        new Resources((long) (cpu * o.prodRequestFraction() / 4), memory / 8, 1, 0, 0),
                        Map.of(),
                        null,
                        List.of(),
                        9000,
                        T0.minusSeconds(86_400),
                        null,
                        name);
                state.upsertPod(prod);
            }
        }
    }

    private void finishJobs(long t) {
        while (!running.isEmpty() && running.peek().end <= t) {
            Running r = running.poll();
            if (state.nodeOf(r.uid).isPresent()) { // not evicted meanwhile
                state.removePod(r.uid);
                result.completed();
            }
        }
    }

    private void report(Instant now, long t, boolean measuring) {
        var snapshot = state.snapshot();
        for (int k = 0; k < snapshot.size(); k++) {
            NodeState node = snapshot.node(k);
            double cpuLoad = load.cpu(k, t);
            NodeUsageFigures f = NodeUsageFigures.of(node, cpuLoad, o.prodMemoryLoad(), o.utilisation());
            long demand = f.node().milliCpu();
            long prodMid = f.cpuOf(tier -> "prod".equals(tier) || "mid".equals(tier) || UsageView.OTHER.equals(tier));
            if (isolation != null) {
                long box = isolation.besteffortMilli(
                        node.realAllocatable(NodeState.CPU), lastProdMid.getOrDefault(node.name(), prodMid), 0);
                f = f.throttled(node, box);
            }
            lastProdMid.put(node.name(), prodMid);
            if (measuring) {
                result.nodeStep(node.realAllocatable(NodeState.CPU), f.node().milliCpu(), prodMid, demand);
            }
            Resources bound = node.requestedBy(PoolRule.BATCH_POOL).plus(node.requestedBy(PoolRule.FREE_POOL));
            UsageReport raw = new UsageReport(node.name(), now, o.step(), f.node(), f.byTier(), f.byPod());
            ClassUsage current = ClassUsage.of(
                    UsageView.of(node.pods(), raw, now, o.config().pools().estimates()),
                    o.config()::classOfTier,
                    o.config().pools().estimateFactor());
            BatchAdvertiser.Decision d = advertiser.tick(
                    node.name(),
                    room.batchPool(node.withUsage(current)),
                    bound,
                    node.node().allocatable(),
                    now);
            if (d.advertise() != null) {
                Resources a = node.node().allocatable();
                state.upsertNode(Node.of(
                        node.name(),
                        Map.of(),
                        List.of(),
                        new Resources(
                                a.milliCpu(),
                                a.memoryBytes(),
                                a.pods(),
                                d.advertise().batchMilliCpu(),
                                d.advertise().batchMemoryBytes()),
                        false));
            }
            tracker.reported(
                    new UsageReport(
                            node.name(),
                            now,
                            o.step(),
                            f.node(),
                            f.byTier(),
                            f.byPod(),
                            new io.qshard.core.usage.Usage(
                                    d.ceiling().batchMilliCpu(), d.ceiling().batchMemoryBytes())),
                    state,
                    now);
        }
    }

    private void refill(Instant now) {
        int want = stream.backlogFor(o.nodes());
        while (pending.get("batch").size() + pending.get("free").size() < want) {
            JobStream.Job job = stream.next(now);
            runtimes.put(job.pod().uid(), job.runtimeSeconds());
            pending.get(job.pod().tier()).addLast(job.pod());
            pendingUids.add(job.pod().uid());
        }
    }

    private long borrowingPods() {
        long n = pendingUids.size();
        var snapshot = state.snapshot();
        for (int k = 0; k < snapshot.size(); k++) {
            for (PodRequest p : snapshot.node(k).pods()) {
                if (p.poolRule() != PoolRule.ALLOCATABLE) {
                    n++;
                }
            }
        }
        return n;
    }

    private void schedule(String tier, Instant now, long t) {
        Deque<PodRequest> queue = pending.get(tier);
        SchedulingAlgorithm algorithm = algorithms.get(tier);
        int failures = 0;
        int n = queue.size();
        for (int i = 0; i < n && failures < GIVE_UP_AFTER; i++) {
            PodRequest pod = queue.pollFirst();
            ScheduleResult r = algorithm.schedule(state.snapshot(), pod, seed++);
            if (r.isPlaced()) {
                state.assume(pod, r.node());
                pendingUids.remove(pod.uid());
                running.add(new Running(pod.uid(), t + runtimes.remove(pod.uid())));
                result.placed();
            } else {
                failures++;
                queue.addLast(pod);
            }
        }
    }
}
