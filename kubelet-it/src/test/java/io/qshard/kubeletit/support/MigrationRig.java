package io.qshard.kubeletit.support;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.AgentSettings;
import io.qshard.agent.NodeAgent;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.controllers.migrate.MigrationController;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.PoolConfig;
import io.qshard.kube.client.ApiClients;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.ServiceAccounts;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The qshard components the migration IT runs in-process beside real kubelet nodes, all on one config: a node agent
 * per node (usage of the node's {@code kubepods} cgroup, a report every {@link #REPORT_INTERVAL}, isolation on,
 * eviction off), the mid tier's scheduler, and the migration loop — as its ServiceAccount with exactly the RBAC of
 * {@code manifests/migrate/migrate.yaml}. {@link #close} stops them in reverse order. Not thread-safe: the test's
 * thread.
 */
public final class MigrationRig implements AutoCloseable {
    /** How often each agent writes its NodeUsage (and the pools' young-pod window). */
    public static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);

    private final QshardConfig config;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    private MigrationRig(QshardConfig config) {
        this.config = config;
    }

    /**
     * The test config: default tiers and pools (peakCap 85 %, margin 5 %), reports every {@link #REPORT_INTERVAL}
     * and stale after 20 s, predictions off (a reactive, deterministic rule), and {@code migration} as given.
     */
    public static QshardConfig config(MigrationConfig migration) {
        PoolConfig d = PoolConfig.defaults();
        return QshardConfig.defaults()
                .withPools(new PoolConfig(
                        d.cpuTargetUtilization(),
                        d.memoryTargetUtilization(),
                        d.cpuSafetyMargin(),
                        d.memorySafetyMargin(),
                        d.estimateFactor(),
                        REPORT_INTERVAL,
                        Duration.ofSeconds(20)))
                .withPredictions(QshardConfig.defaults().predictions().withEnabled(false))
                .withMigration(migration);
    }

    /** Starts an agent on every kubelet node and the mid scheduler; returns once all have synced. */
    public static MigrationRig start(LocalControlPlane cp, KubeletNodes nodes, QshardConfig config) throws Exception {
        MigrationRig rig = new MigrationRig(config);
        try {
            for (KubeletNode n : nodes.nodes()) {
                KubernetesClient client = rig.keep(client(cp.kubeconfig(), "qshard-it-agent/" + n.name()));
                NodeAgent agent = rig.keep(new NodeAgent(agentSettings(n, config), client, Clock.systemUTC()));
                agent.start(Duration.ofSeconds(30));
            }
            SchedulerProcess mid = SchedulerProcess.start(
                    client(cp.kubeconfig(), "qshard-it-scheduler/mid"),
                    config,
                    ShippedPlugins.registry(),
                    List.of(config.tier("mid")),
                    SchedulerSettings.defaults(),
                    Duration.ofSeconds(60),
                    Clock.systemUTC());
            rig.keep(() -> mid.stop(Duration.ofSeconds(5)));
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    /** Starts the migration loop (no election) as the {@code qshard-migrate} ServiceAccount; closed with the rig. */
    public MigrationController startMigration(KubernetesClient admin, LocalControlPlane cp) {
        Path kubeconfig = ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-migrate", Path.of("..", "manifests", "migrate", "migrate.yaml"));
        // the manifest also holds the loop's own Deployment: its pods would only wait for a default scheduler here
        admin.apps()
                .deployments()
                .inNamespace(LocalControlPlane.SERVICE_ACCOUNT_NAMESPACE)
                .withName("qshard-migrate")
                .delete();
        KubernetesClient client = keep(client(kubeconfig, "qshard-it-migrate"));
        MigrationController loop = keep(new MigrationController(client, config, false, null, "it", Clock.systemUTC()));
        loop.start(Duration.ofSeconds(30));
        return loop;
    }

    private static AgentSettings agentSettings(KubeletNode n, QshardConfig config) {
        return new AgentSettings(
                n.name(),
                Path.of("/sys/fs/cgroup"),
                n.cgroupParent(),
                "auto",
                CgroupDriver.CGROUPFS,
                Path.of("/proc"),
                UsageSampler.NodeSource.KUBEPODS, // this node's pods only, not the whole machine
                REPORT_INTERVAL,
                Duration.ofMillis(500),
                AgentSettings.DEFAULT_FAST_PATH_CHANGE,
                0, // a 1-core node's besteffort box is always under a core: no box evictions
                AgentSettings.DEFAULT_EVICT_GRACE,
                1.0,
                false,
                0,
                config);
    }

    private static KubernetesClient client(Path kubeconfig, String agent) {
        return ApiClients.create(Config.fromKubeconfig(kubeconfig.toFile()), agent);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
