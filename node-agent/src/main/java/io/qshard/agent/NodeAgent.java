package io.qshard.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.cgroup.CgroupFiles;
import io.qshard.agent.cgroup.CgroupIo;
import io.qshard.agent.cgroup.CgroupLayout;
import io.qshard.agent.cgroup.CgroupVersions;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.isolation.BoxEvictionRule;
import io.qshard.agent.isolation.Isolator;
import io.qshard.agent.isolation.MemoryPressureRule;
import io.qshard.agent.kube.AgentWrites;
import io.qshard.agent.kube.LocalPod;
import io.qshard.agent.kube.LocalPods;
import io.qshard.agent.kube.OwnNode;
import io.qshard.agent.metrics.AgentMetrics;
import io.qshard.agent.sample.NodeSample;
import io.qshard.agent.sample.ProcStats;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.isolation.IsolationPolicy;
import io.qshard.core.model.Node;
import io.qshard.core.pool.BatchAdvertiser;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.metrics.Metrics;
import io.qshard.kube.write.Evictions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node engine (docs/architecture.md, "The node agent"). Every sample interval, on one thread: read the pod cgroups and
 * the node's counters, re-apply isolation (burstable quota, besteffort box), evict besteffort pods when the box has
 * stayed under one core past its grace or memory is short; every report interval — sooner when node cpu moved by
 * more than the fast-path fraction — write the node's {@code NodeUsage} with its batch ceiling and advertise the
 * batch pool ({@link BatchAdvertiser}). A burstable pod bound with a cpu limit above the burstable quota in force
 * raises it on the same thread at once (cgroup v1 refuses the pod's quotas until then). {@link #close} lifts the
 * isolation. The loop beats its {@link #heartbeat()} at every tick and before each eviction; an exception of a tick
 * is logged and the next tick runs, an {@link Error} makes the heartbeat fatal. Thread-safe entry points.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    /**
     * The largest healthy age of the loop's {@link #heartbeat()}: 90 s. Between two beats a tick makes at most two API
     * calls (the NodeUsage report and the node's batch advertisement; an eviction beats first), each bounded by the
     * client's 30 s request timeout.
     */
    public static final Duration HEARTBEAT_MAX_AGE = Duration.ofSeconds(90);

    private final AgentSettings settings;
    private final Clock clock;
    private final AgentMetrics metrics = new AgentMetrics();
    private final CgroupFiles files = new CgroupFiles();
    private final CgroupIo io;
    private final UsageSampler sampler;
    private final LocalPods pods;
    private final OwnNode node;
    private final AgentWrites writes;
    private final Evictions evictions;
    private final BoxEvictionRule boxRule;
    private final MemoryPressureRule memoryRule;
    private final AgentReports reports;
    private final ScheduledExecutorService loop;
    private final Heartbeat heartbeat;
    private Isolator isolator;

    /** An agent whose metrics are kept but not exported. */
    public NodeAgent(AgentSettings settings, KubernetesClient client, Clock clock) {
        this(settings, client, clock, Metrics.NOOP);
    }

    /** @param exported where its counters and gauges are registered */
    public NodeAgent(AgentSettings settings, KubernetesClient client, Clock clock, Metrics exported) {
        this.settings = settings;
        this.clock = clock;
        this.heartbeat = new Heartbeat(clock);
        this.io = CgroupVersions.open(
                settings.cgroupRoot(),
                settings.cgroupVersion(),
                new CgroupLayout(settings.driver(), settings.cgroupParent()),
                files);
        this.sampler = new UsageSampler(io, new ProcStats(settings.procRoot(), files), settings.nodeSource(), clock);
        this.pods = new LocalPods(client, settings.nodeName(), settings.config());
        this.node = new OwnNode(client, settings.nodeName());
        String reporter =
                "qshard-agent/" + (System.getenv("POD_NAME") == null ? settings.nodeName() : System.getenv("POD_NAME"));
        this.writes = new AgentWrites(client, settings.nodeName(), reporter);
        this.evictions = new Evictions(client);
        this.boxRule = new BoxEvictionRule(settings.evictBelowMilli(), settings.evictGrace());
        this.memoryRule = new MemoryPressureRule(settings.memoryThreshold(), Duration.ofMinutes(2));
        this.reports = new AgentReports(
                settings,
                writes,
                metrics,
                new BatchAdvertiser(
                        BatchAdvertiser.holdDownFor(settings.reportInterval()),
                        BatchAdvertiser.DEFAULT_CHANGE_THRESHOLD));
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "qshard-agent"));
        metrics.export(exported, files.readErrors::sum, files.writeErrors::sum);
    }

    /** Syncs the informers, takes the first sample and starts the loop. */
    public void start(Duration syncTimeout) throws Exception {
        pods.start(syncTimeout);
        node.start(syncTimeout);
        isolator = new Isolator(io, IsolationPolicy.of(settings.config().pools()), metrics, settings.dryRun());
        pods.onUpsert(this::raiseForNewLimit);
        sampler.sample(); // the first sample has no window: it only primes the counters
        heartbeat.beat();
        loop.scheduleWithFixedDelay(
                this::tick,
                settings.sampleInterval().toMillis(),
                settings.sampleInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info(
                "node agent on {} started: cgroup {} ({}), report every {} s{}",
                settings.nodeName(),
                io.getClass().getSimpleName(),
                settings.driver(),
                settings.reportInterval().toSeconds(),
                settings.dryRun() ? ", DRY RUN: nothing is enforced" : "");
    }

    /** @return the counters and gauges */
    public AgentMetrics metrics() {
        return metrics;
    }

    /** @return the loop's heartbeat (thread-safe), healthy while younger than {@link #HEARTBEAT_MAX_AGE} */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /** @return the cgroup file error counters */
    public CgroupFiles files() {
        return files;
    }

    void tick() {
        heartbeat.beat();
        try {
            NodeSample sample = sampler.sample();
            Node n = node.get();
            if (sample == null || n == null) {
                return;
            }
            metrics.nodeCpuMilli.set(sample.node().milliCpu());
            Instant now = clock.instant();
            List<LocalPod> local = pods.all();
            long burstableRequests = local.stream()
                    .filter(p -> p.qos() == QosClass.BURSTABLE)
                    .mapToLong(p -> p.requests().milliCpu())
                    .sum();
            long burstableLimit = local.stream()
                    .filter(p -> p.qos() == QosClass.BURSTABLE)
                    .mapToLong(LocalPod::cpuLimitMilli)
                    .max()
                    .orElse(0);
            Isolator.Quotas quotas =
                    isolator.apply(sample, n.realAllocatable().milliCpu(), burstableRequests, burstableLimit);
            for (LocalPod p : boxRule.check(quotas.besteffort(), now, local)) {
                evict(
                        p,
                        "besteffort box " + quotas.besteffort() + "m has been under " + settings.evictBelowMilli()
                                + "m for " + settings.evictGrace().toSeconds() + " s");
                metrics.boxEvictions.increment();
            }
            for (LocalPod p : memoryRule.check(
                    sample.node().memoryBytes(), n.realAllocatable().memoryBytes(), local, sample.pods(), now)) {
                evict(
                        p,
                        "node memory " + (sample.node().memoryBytes() >> 20) + " MiB is above "
                                + Math.round(100 * settings.memoryThreshold()) + " % of allocatable");
                metrics.memoryEvictions.increment();
            }
            reports.maybeReport(sample, n, local, pods::get, now);
        } catch (RuntimeException e) {
            LOG.error("agent tick failed; this is a bug", e);
        } catch (Error e) {
            LOG.error("the agent loop died; /healthz fails from now on", e);
            heartbeat.fatal(e); // the executor would run no further tick
        }
    }

    /**
     * A burstable pod whose cpu limit is above the burstable quota in force raises it on the loop's thread at once,
     * not at the next sample: on cgroup v1 the kernel refuses the pod's cgroups their quotas until then, so the kubelet
     * would start the pod without its pod-level quota and fail its container's first start.
     */
    private void raiseForNewLimit(LocalPod p) {
        long quota = metrics.burstableQuotaMilli.get();
        if (p.qos() != QosClass.BURSTABLE || quota < 0 || p.cpuLimitMilli() <= quota) {
            return;
        }
        try {
            loop.execute(() -> {
                try {
                    isolator.raiseTo(p.cpuLimitMilli());
                } catch (RuntimeException e) {
                    LOG.error("raising the burstable quota for {} failed; this is a bug", p.key(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: isolation is being lifted anyway
        }
    }

    private void evict(LocalPod p, String why) {
        heartbeat.beat();
        if (settings.dryRun()) {
            LOG.info("dry-run: would evict {} ({}): {}", p.key(), p.tier(), why);
            return;
        }
        Evictions.Outcome outcome = evictions.evict(p.namespace(), p.name());
        LOG.info("evicting {} ({}): {} → {}", p.key(), p.tier(), why, outcome);
        if (outcome == Evictions.Outcome.BLOCKED_BY_BUDGET || outcome == Evictions.Outcome.FAILED) {
            metrics.evictionsRefused.increment();
        }
    }

    /** Stops the loop and lifts the isolation (the parents' cpu settings as they were at start). */
    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (isolator != null) {
            isolator.restore();
        }
        pods.close();
        node.close();
    }
}
