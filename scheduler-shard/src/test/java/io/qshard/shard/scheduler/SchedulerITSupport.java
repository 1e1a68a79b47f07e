package io.qshard.shard.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared setup for the scheduler ITs: fleets of nodes and pods, a scheduler process, an independent audit. */
public final class SchedulerITSupport {
    static final String AGENT = "qshard-it-scheduler";

    private SchedulerITSupport() {}

    public static List<Node> nodes(String prefix, int n, String cpu, String memory) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(NodeFixture.node(String.format("%s-%04d", prefix, i))
                    .cpu(cpu)
                    .memory(memory)
                    .build());
        }
        return out;
    }

    /** {@code n} prod pods of 60–500m cpu and 64–1024Mi, deterministic. */
    public static List<Pod> prodPods(String ns, String prefix, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(PodFixture.pod(prefix + "-" + i)
                    .namespace(ns)
                    .tier("prod")
                    .cpuMilli(60 + r.nextInt(441))
                    .memoryMi(64 + r.nextInt(961))
                    .build());
        }
        return out;
    }

    static SchedulerProcess startProd(LocalControlPlane cp) {
        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                AGENT);
        QshardConfig cfg = QshardConfig.defaults();
        return SchedulerProcess.start(
                client,
                cfg,
                ShippedPlugins.registry(),
                List.of(cfg.tier("prod")),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    public static long boundIn(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null
                        && !p.getSpec().getNodeName().isEmpty())
                .count();
    }

    /**
     * Independent audit of what a kubelet checks: per node, Σ effective requests of the pods bound to it
     * (read back from the API) must fit its allocatable. Returns the nodes that would refuse a pod.
     */
    public static List<String> overcommittedNodes(KubernetesClient admin) {
        Map<String, Resources> used = new HashMap<>();
        for (Pod p : admin.pods().inAnyNamespace().list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node != null && !node.isEmpty()) {
                used.merge(node, requestsOf(p), Resources::plus);
            }
        }
        List<String> over = new ArrayList<>();
        for (Node n : admin.nodes().list().getItems()) {
            Resources alloc = NodeConverter.convert(n).allocatable();
            Resources u = used.getOrDefault(n.getMetadata().getName(), Resources.ZERO);
            if (!u.fitsIn(alloc)) {
                over.add(n.getMetadata().getName() + " " + u + " > " + alloc);
            }
        }
        return over;
    }

    /**
     * What a kubelet's admission counts for a pod, computed independently of the scheduler's decoder:
     * max(Σ containers, max init container) per resource, plus overhead; one pod slot.
     */
    public static Resources requestsOf(Pod p) {
        long[] sum = new long[5];
        for (Container c : p.getSpec().getContainers()) {
            add(sum, c.getResources() == null ? null : c.getResources().getRequests(), false);
        }
        if (p.getSpec().getInitContainers() != null) {
            for (Container c : p.getSpec().getInitContainers()) {
                add(sum, c.getResources() == null ? null : c.getResources().getRequests(), true);
            }
        }
        add(sum, p.getSpec().getOverhead(), false);
        return new Resources(sum[0], sum[1], 1, sum[3], sum[4]);
    }

    private static void add(long[] sum, Map<String, Quantity> q, boolean max) {
        if (q == null) {
            return;
        }
        long[] one = {
            milli(q.get(ResourceNames.CPU)),
            bytes(q.get(ResourceNames.MEMORY)),
            0,
            bytes(q.get(ResourceNames.BATCH_CPU)),
            bytes(q.get(ResourceNames.BATCH_MEMORY))
        };
        for (int i = 0; i < 5; i++) {
            sum[i] = max ? Math.max(sum[i], one[i]) : sum[i] + one[i];
        }
    }

    private static long milli(Quantity q) {
        return q == null
                ? 0
                : Quantity.getAmountInBytes(q)
                        .multiply(java.math.BigDecimal.valueOf(1000))
                        .setScale(0, java.math.RoundingMode.CEILING)
                        .longValueExact();
    }

    private static long bytes(Quantity q) {
        return q == null
                ? 0
                : Quantity.getAmountInBytes(q)
                        .setScale(0, java.math.RoundingMode.CEILING)
                        .longValueExact();
    }

    static KubernetesClient client(LocalControlPlane cp, String agent) {
        return KubeClients.forControlPlane(cp, agent);
    }
}
