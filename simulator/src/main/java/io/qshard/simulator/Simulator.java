package io.qshard.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.ClassUsage;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageView;
import io.qshard.kube.informer.ClusterEventListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelets of nodes that have none, as KWOK does: pods bound to its nodes are marked Running and Ready,
 * terminating pods are deleted for good (grace 0), and every interval each node gets a {@code NodeUsage} report —
 * the background prod load from its trace, the other pods at {@code request × utilisation} — and its batch pool
 * advertised as the {@code qshard.io/batch-cpu} / {@code qshard.io/batch-memory} extended resources (never below what
 * bound batch and free pods request), as the node agent does on a real node.
 *
 * <p>State lives on one thread ({@code qshard-simulate}); API writes go to a small pool so a tick over thousands of
 * nodes is spread over the interval. A failed write is counted and retried at the next tick. Thread-safe entry points.
 */
public final class Simulator implements ClusterEventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    /** Ticks that took longer than the interval (the simulator is not keeping up). */
    public final LongAdder lateTicks = new LongAdder();

    /** The API writes and their counters. */
    public final SimulatorWrites writes;

    private final Predicate<Node> selects;
    private final BackgroundLoad load;
    private final PodUtilisation utilisation;
    private final Duration interval;
    private final String reporter;
    private final Clock clock;
    private final QshardConfig config;
    private final NodeRoom room;
    private final ClusterState state = new ClusterState();
    private final ScheduledExecutorService loop;
    private final ExecutorService writers;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> finalising = ConcurrentHashMap.newKeySet();
    private final Map<String, Resources> lastAdvertised = new ConcurrentHashMap<>();
    private final Map<String, Integer> nodeIndex = new ConcurrentHashMap<>();
    private final Instant start;
    private final io.qshard.core.pool.BatchAdvertiser advertiser;
    private final java.util.List<String> tierNames;
    /** The node agent's isolation (besteffort box), or null when pods use what they demand. */
    private final io.qshard.core.isolation.IsolationPolicy isolation;
    /** node → prod + mid cpu of its last report: the agent sizes the box from the last interval (tick thread). */
    private final Map<String, Long> lastProdMid = new java.util.HashMap<>();

    /**
     * @param client      the API
     * @param config      tiers and pools (the batch pool uses the same formula as the schedulers)
     * @param selects     which nodes this simulator plays
     * @param load        background (prod) load per node
     * @param utilisation the other pods' usage model
     * @param interval    how often each node reports
     * @param reporter    written into every report
     * @param writers     concurrent API writes
     * @param isolation   whether to play the node agent's isolation: batch and free pods together use at most the
     *                    besteffort box ({@link io.qshard.core.isolation.IsolationPolicy}) sized from the last report
     * @param clock       time source
     */
    public Simulator(
            KubernetesClient client,
            QshardConfig config,
            Predicate<Node> selects,
            BackgroundLoad load,
            PodUtilisation utilisation,
            Duration interval,
            String reporter,
            int writers,
            boolean isolation,
            Clock clock) {
        this.config = config;
        this.selects = selects;
        this.load = load;
        this.utilisation = utilisation;
        this.interval = interval;
        this.reporter = reporter;
        this.clock = clock;
        this.room = new NodeRoom(config.pools());
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "qshard-simulate"));
        this.writers = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "qshard-simulate-write");
            t.setDaemon(true);
            return t;
        });
        this.start = clock.instant();
        this.writes = new SimulatorWrites(client, clock, interval, reporter, started, finalising, lastAdvertised);
        this.advertiser = new io.qshard.core.pool.BatchAdvertiser(
                io.qshard.core.pool.BatchAdvertiser.holdDownFor(interval),
                io.qshard.core.pool.BatchAdvertiser.DEFAULT_CHANGE_THRESHOLD);
        java.util.List<String> names = new java.util.ArrayList<>();
        config.tiers().forEach(t -> names.add(t.name()));
        this.tierNames = java.util.List.copyOf(names);
        this.isolation = isolation ? io.qshard.core.isolation.IsolationPolicy.of(config.pools()) : null;
    }

    /** Starts the periodic reports (the informers feeding this listener are started by the caller). */
    public void start() {
        loop.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("simulator {} started: reports every {} s", reporter, interval.toSeconds());
    }

    // ---- informer side --------------------------------------------------------------------------

    @Override
    public void nodeUpserted(Node node) {
        loop.execute(() -> {
            if (selects.test(node)) {
                boolean added = state.node(node.name()).isEmpty();
                state.upsertNode(node); // attaches pods that were seen before their node
                nodeIndex.computeIfAbsent(node.name(), n -> nodeIndex.size());
                if (added) {
                    state.node(node.name()).ifPresent(s -> s.pods().forEach(this::start));
                }
            } else {
                state.removeNode(node.name());
            }
        });
    }

    @Override
    public void nodeDeleted(String name) {
        loop.execute(() -> {
            state.removeNode(name);
            advertiser.forget(name);
            lastProdMid.remove(name);
        });
    }

    @Override
    public void podUpserted(PodRequest pod, boolean finished, boolean deleting) {
        loop.execute(() -> {
            if (pod.nodeName() == null) {
                return;
            }
            boolean ours = state.node(pod.nodeName()).isPresent();
            if (finished || deleting) {
                state.removePod(pod.uid());
                if (deleting && ours && finalising.add(pod.uid())) {
                    writers.execute(() -> writes.finalise(pod));
                }
            } else {
                state.upsertPod(pod); // kept aside when the node is not known (yet): informers race
                if (ours) {
                    start(pod);
                }
            }
        });
    }

    private void start(PodRequest pod) {
        if (started.add(pod.uid())) {
            writers.execute(() -> writes.markRunning(pod));
        }
    }

    @Override
    public void podDeleted(String uid) {
        loop.execute(() -> {
            state.removePod(uid);
            started.remove(uid);
            finalising.remove(uid);
        });
    }

    // ---- reports ----------------------------------------------------------------------------------

    private void tick() {
        long t0 = System.nanoTime();
        try {
            for (String failed; (failed = writes.failedNodes.poll()) != null; ) {
                advertiser.failed(failed); // its ceilings may not have reached the schedulers: hold again
            }
            Instant now = clock.instant();
            double elapsed = Duration.between(start, now).toMillis() / 1000.0;
            io.qshard.core.snapshot.ClusterSnapshot snapshot = state.snapshot();
            for (int k = 0; k < snapshot.size(); k++) {
                NodeState node = snapshot.node(k);
                int i = nodeIndex.getOrDefault(node.name(), 0);
                NodeUsageFigures f =
                        figures(node, load.cpu(node.name(), i, elapsed), load.memory(node.name(), i, elapsed));
                Resources bound = node.requestedBy(PoolRule.BATCH_POOL).plus(node.requestedBy(PoolRule.FREE_POOL));
                Resources advertised =
                        lastAdvertised.getOrDefault(node.name(), node.node().allocatable());
                io.qshard.core.pool.BatchAdvertiser.Decision d =
                        advertiser.tick(node.name(), batchPool(node, f, now), bound, advertised, now);
                writers.execute(() -> writes.writeUsage(node.name(), f, tierNames, d.ceiling(), now));
                if (d.advertise() != null) {
                    lastAdvertised.put(node.name(), d.advertise());
                    writers.execute(() -> writes.advertise(node.name(), d.advertise()));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("simulator tick failed; this is a bug", e);
        }
        if (System.nanoTime() - t0 > interval.toNanos()) {
            lateTicks.increment();
        }
    }

    /** The node's figures now; with isolation, batch and free throttled to the box the last report left them. */
    private NodeUsageFigures figures(NodeState node, double cpuLoad, double memoryLoad) {
        NodeUsageFigures f = NodeUsageFigures.of(node, cpuLoad, memoryLoad, utilisation);
        if (isolation == null) {
            return f;
        }
        long prodMid = f.cpuOf(tier ->
                config.classOfTier(tier) == PoolRule.ALLOCATABLE || config.classOfTier(tier) == PoolRule.MID_POOL);
        long box = isolation.besteffortMilli(
                node.realAllocatable(NodeState.CPU), lastProdMid.getOrDefault(node.name(), prodMid), 0);
        lastProdMid.put(node.name(), prodMid);
        return f.throttled(node, box);
    }

    /** The batch pool as the schedulers compute it on this report (before predictions). */
    private Resources batchPool(NodeState node, NodeUsageFigures f, Instant now) {
        UsageReport report = new UsageReport(node.name(), now, interval, f.node(), f.byTier(), f.byPod());
        UsageView view = UsageView.of(node.pods(), report, now, config.pools().estimates());
        ClassUsage usage =
                ClassUsage.of(view, config::classOfTier, config.pools().estimateFactor());
        return room.batchPool(node.withUsage(usage));
    }

    /** Stops the reports and waits (up to 5 s) for the writes in flight, so nothing is written after close. */
    @Override
    public void close() {
        loop.shutdownNow();
        writers.shutdown();
        try {
            if (!writers.awaitTermination(5, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
