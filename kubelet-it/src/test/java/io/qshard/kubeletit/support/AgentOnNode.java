package io.qshard.kubeletit.support;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.AgentSettings;
import io.qshard.agent.NodeAgent;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.pool.PoolConfig;
import io.qshard.kube.client.ApiClients;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A node agent run in-process on one real kubelet node, as the DaemonSet would run it there: the real cgroup root,
 * the node's {@code --cgroup-root} as parent, version {@code auto}, the cgroupfs driver, node usage from the node's
 * {@code kubepods} cgroup (not {@code /proc}, which is the whole machine and both nodes), a sample every
 * {@link #SAMPLE_INTERVAL} and a report every {@link #REPORT_INTERVAL}. Its own client, closed with it. Also reads
 * what the agent writes: the batch pool it advertises, the cgroup files it sets. Not thread-safe: the test's thread.
 */
public final class AgentOnNode implements AutoCloseable {
    /** How often the agent reads the cgroups and re-applies isolation. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);
    /** How often it writes its NodeUsage (and advertises the batch pool). */
    public static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final NodeAgent agent;
    private final String nodeName;

    private AgentOnNode(KubernetesClient client, NodeAgent agent, String nodeName) {
        this.client = client;
        this.agent = agent;
        this.nodeName = nodeName;
    }

    /**
     * The default tiers, cpu peakCap at {@code targetUtilization} of allocatable with a {@code safetyMargin}, reports
     * every {@link #REPORT_INTERVAL} (stale after 20 s), predictions off: every figure follows the last sample.
     */
    public static QshardConfig config(double targetUtilization, double safetyMargin) {
        PoolConfig d = PoolConfig.defaults();
        return QshardConfig.defaults()
                .withPools(new PoolConfig(
                        targetUtilization,
                        d.memoryTargetUtilization(),
                        safetyMargin,
                        d.memorySafetyMargin(),
                        d.estimateFactor(),
                        REPORT_INTERVAL,
                        Duration.ofSeconds(20)))
                .withPredictions(QshardConfig.defaults().predictions().withEnabled(false));
    }

    /**
     * Starts an agent on {@code node} (admin client) and returns once its informers synced and its first sample is
     * taken.
     *
     * @param evictBelowMilli the besteffort box is too small below this (0: never evict)
     * @param evictGrace      how long it may stay too small
     */
    public static AgentOnNode start(
            LocalControlPlane cp, KubeletNode node, QshardConfig config, long evictBelowMilli, Duration evictGrace)
            throws Exception {
        AgentSettings settings = new AgentSettings(
                node.name(),
                Path.of("/sys/fs/cgroup"),
                node.cgroupParent(),
                "auto",
                CgroupDriver.CGROUPFS,
                Path.of("/proc"),
                UsageSampler.NodeSource.KUBEPODS,
                REPORT_INTERVAL,
                SAMPLE_INTERVAL,
                AgentSettings.DEFAULT_FAST_PATH_CHANGE,
                evictBelowMilli,
                evictGrace,
                1.0, // no memory-pressure evictions
                false,
                0,
                config);
        KubernetesClient client =
                ApiClients.create(Config.fromKubeconfig(cp.kubeconfig().toFile()), "qshard-it-agent/" + node.name());
        NodeAgent agent = new NodeAgent(settings, client, Clock.systemUTC());
        try {
            agent.start(Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            agent.close();
            client.close();
            throw e;
        }
        return new AgentOnNode(client, agent, node.name());
    }

    /** @return the running agent (its metrics and cgroup file counters) */
    public NodeAgent agent() {
        return agent;
    }

    /**
     * @param minMemoryBytes the least {@code qshard.io/batch-memory} that counts as advertised
     * @return the node's allocatable {@code qshard.io/batch-cpu} the agent advertised, 0 while none (or less memory)
     */
    public long advertisedBatchCpu(long minMemoryBytes) {
        Map<String, Quantity> allocatable =
                client.nodes().withName(nodeName).get().getStatus().getAllocatable();
        Quantity cpu = allocatable.get(ResourceNames.BATCH_CPU);
        Quantity memory = allocatable.get(ResourceNames.BATCH_MEMORY);
        return cpu == null || memory == null || memory.getNumericalAmount().longValue() < minMemoryBytes
                ? 0
                : cpu.getNumericalAmount().longValue();
    }

    /** @return a control file of a cgroup (v1: a directory under a controller's hierarchy), trimmed */
    public static String cgroupFile(Path cgroup, String file) throws IOException {
        return Files.readString(cgroup.resolve(file)).trim();
    }

    /** @return the cgroup's cfs quota in milli-cores (rounded down), -1 when unlimited */
    public static long quotaMilli(Path cgroup) throws IOException {
        long quota = Long.parseLong(cgroupFile(cgroup, "cpu.cfs_quota_us"));
        return quota < 0 ? -1 : quota * 1000 / Long.parseLong(cgroupFile(cgroup, "cpu.cfs_period_us"));
    }

    /** @return how many periods the kernel throttled the cgroup so far ({@code cpu.stat nr_throttled}) */
    public static long throttled(Path cgroup) throws IOException {
        return Files.readAllLines(cgroup.resolve("cpu.stat")).stream()
                .filter(l -> l.startsWith("nr_throttled "))
                .mapToLong(l ->
                        Long.parseLong(l.substring("nr_throttled ".length()).trim()))
                .findFirst()
                .orElseThrow(() -> new IOException("no nr_throttled in " + cgroup.resolve("cpu.stat")));
    }

    /** Stops the agent, which lifts its isolation, then closes its client. */
    @Override
    public void close() {
        try {
            agent.close();
        } finally {
            client.close();
        }
    }
}
