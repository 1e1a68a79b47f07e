package io.qshard.demo;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.AgentSettings;
import io.qshard.agent.NodeAgent;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.client.ApiClients;
import io.qshard.localcluster.KubeletNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One in-process node agent per real kubelet node, as the DaemonSet would run it there: the node's cgroups (its
 * {@code --cgroup-root} as parent, version {@code auto}, cgroupfs driver), node usage from its {@code kubepods} cgroup,
 * a NodeUsage report and the batch pool advertised every {@code interval}, isolation on, evictions off. Each agent has
 * its own client, closed with it. Not thread-safe: the demo's thread starts and closes them.
 */
final class RealNodeAgents implements AutoCloseable {
    private record Running(NodeAgent agent, KubernetesClient client) {}

    private final List<Running> agents = new ArrayList<>();

    private RealNodeAgents() {}

    /**
     * Starts an agent on each node and returns once every one synced its informers and took its first sample; on a
     * failure the agents already started are closed.
     *
     * @param interval how often each agent reports (its samples are every second)
     */
    static RealNodeAgents start(
            List<KubeletNode> nodes, Config config, QshardConfig qshard, Duration interval, Clock clock)
            throws Exception {
        RealNodeAgents all = new RealNodeAgents();
        try {
            for (KubeletNode n : nodes) {
                all.startOne(n, config, qshard, interval, clock);
            }
        } catch (Exception | Error e) {
            all.close();
            throw e;
        }
        return all;
    }

    private void startOne(KubeletNode node, Config config, QshardConfig qshard, Duration interval, Clock clock)
            throws Exception {
        AgentSettings settings = new AgentSettings(
                node.name(),
                Path.of("/sys/fs/cgroup"),
                node.cgroupParent(),
                "auto",
                CgroupDriver.CGROUPFS,
                Path.of("/proc"),
                UsageSampler.NodeSource.KUBEPODS, // not /proc: that is the whole machine, every node at once
                interval,
                AgentSettings.DEFAULT_SAMPLE_INTERVAL,
                AgentSettings.DEFAULT_FAST_PATH_CHANGE,
                0, // the besteffort box never evicts: the report is about the kubelet's admission
                AgentSettings.DEFAULT_EVICT_GRACE,
                1.0, // nor does memory pressure
                false,
                0,
                qshard);
        KubernetesClient client = ApiClients.create(config, "qshard-demo-agent/" + node.name());
        NodeAgent agent = new NodeAgent(settings, client, clock);
        try {
            agent.start(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            agent.close();
            client.close();
            throw e;
        }
        agents.add(new Running(agent, client));
    }

    /** Stops every agent (each lifts its isolation) and closes its client. Idempotent. */
    @Override
    public void close() {
        for (Running r : agents) {
            try {
                r.agent().close();
            } finally {
                r.client().close();
            }
        }
        agents.clear();
    }
}
