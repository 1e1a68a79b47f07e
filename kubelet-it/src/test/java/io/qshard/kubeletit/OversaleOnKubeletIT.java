package io.qshard.kubeletit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.agent.AgentSettings;
import io.qshard.agent.NodeAgent;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.PoolConfig;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.kube.client.ApiClients;
import io.qshard.kubeletit.support.WebhookOnCluster;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.KubeletPods;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oversale on a real kubelet's heartbeats (plan §6.3): the webhook registered as the manifests register it (max cpu
 * 2.0, memory 1.5), node 2 (1000m real allocatable, status every 2 s, an unchanged status reported every 10 s)
 * labelled and annotated cpu 1.5 / memory 1.0 <em>after</em> it registered. The steps build on each other, in order:
 * <ol>
 *   <li>the kubelet's own status writes come back scaled — the first one leaves its unchanged allocatable out
 *       (R17) — and every later one carries its real value and is scaled again;</li>
 *   <li>the kubelet admits pods up to the oversold 1500m: 12 × 100m Guaranteed bound directly, then two 100m mid pods
 *       placed by qshard's mid scheduler against the room left (1500 − 1200), with a node agent reporting usage;</li>
 *   <li>a ratio lowered below what runs (1.1: 1100m &lt; 1400m) rejects or evicts no running pod; new pods are refused
 *       by qshard (Pending) and by the kubelet ({@code OutOfcpu}).</li>
 * </ol>
 * Assertions are on API objects and pod state, never on measured rates or durations.
 */
@RealControlPlane(kubeletNodes = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OversaleOnKubeletIT {
    private static final Logger LOG = LoggerFactory.getLogger(OversaleOnKubeletIT.class);
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);
    private static final int DIRECT_PODS = 12;

    private static WebhookOnCluster webhook;
    private static KubeletNode node;
    private static String ns;
    private static NodeAgent agent;
    private static SchedulerProcess mid;

    @BeforeAll
    static void serveTheWebhook(KubernetesClient admin, KubeletNodes nodes, @TempDir Path dir) {
        node = nodes.node(1);
        ns = Namespaces.fresh(admin, "oversale-kl");
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        webhook = WebhookOnCluster.start(admin, dir, 2.0, 1.5);
    }

    @AfterAll
    static void stop(KubernetesClient admin) throws Exception {
        if (mid != null) {
            mid.stop(Duration.ofSeconds(5));
        }
        if (agent != null) {
            agent.close();
        }
        if (webhook != null) {
            webhook.close();
        }
        admin.namespaces().withName(ns).delete();
        // the next class's reset removes the label and ratios too; the kubelet's next write is real again
        admin.nodes()
                .withName(node.name())
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"" + OversaleRatio.OPT_IN_LABEL + "\":null},\"annotations\":{\""
                                + OversaleRatio.CPU_ANNOTATION + "\":null,\"" + OversaleRatio.MEMORY_ANNOTATION
                                + "\":null,\"" + OversaleRatio.APPLIED_ANNOTATION + "\":null,\""
                                + OversaleRatio.SCALED_ANNOTATION + "\":null}}}");
    }

    @Test
    @Order(1)
    void theKubeletsOwnStatusWritesComeBackScaled(KubernetesClient admin) {
        Node before = admin.nodes().withName(node.name()).get();
        assertThat(milliCpu(before.getStatus().getAllocatable())).isEqualTo(node.allocatableMilliCpu());
        Quantity capacity = before.getStatus().getCapacity().get("cpu");
        long memory = Quantity.getAmountInBytes(
                        before.getStatus().getAllocatable().get("memory"))
                .longValueExact();
        ratios(admin, "1.5", "1.0", true);
        // R17: the kubelet's status patch leaves allocatable out while its computed value equals the stored one, so
        // only a rescale of a write without allocatable can apply the ratio (without it: 1000m for good)
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Node n = admin.nodes().withName(node.name()).get();
                    assertThat(milliCpu(n.getStatus().getAllocatable())).isEqualTo(1500);
                    assertThat(n.getMetadata().getAnnotations())
                            .containsEntry(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1")
                            .containsEntry(OversaleRatio.SCALED_ANNOTATION, "cpu=1500m,memory=" + memory);
                });
        Node scaled = admin.nodes().withName(node.name()).get();
        assertThat(scaled.getStatus().getCapacity().get("cpu")).isEqualTo(capacity);
        assertThat(scaled.getStatus().getAllocatable().get("memory"))
                .as("memory ratio 1: the real value")
                .isEqualTo(before.getStatus().getAllocatable().get("memory"));
        // from now on every status write of the kubelet carries its real 1000m (it differs from the stored value)
        // and comes back scaled: the next 4 reviews (2 s apart on an idle host; however long they take here) and every
        // node update seen meanwhile show 1500m
        List<Long> seen = new CopyOnWriteArrayList<>();
        long reviews = webhook.metrics().reviews.sum();
        try (Watch w = admin.nodes().withName(node.name()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node n) {
                seen.add(milliCpu(n.getStatus().getAllocatable()));
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> seen.size() >= 4 && webhook.metrics().reviews.sum() - reviews >= 4);
        }
        long reviewed = webhook.metrics().reviews.sum() - reviews;
        LOG.info("oversale on node {}: {} node updates and {} reviews seen", node.name(), seen.size(), reviewed);
        assertThat(seen).as("every node update seen is scaled").containsOnly(1500L);
    }

    @Test
    @Order(2)
    void theKubeletAdmitsPodsUpToTheOversoldAllocatable(KubernetesClient admin, LocalControlPlane cp) throws Exception {
        assertThat(milliCpu(
                        admin.nodes().withName(node.name()).get().getStatus().getAllocatable()))
                .isEqualTo(1500);
        for (int i = 0; i < DIRECT_PODS; i++) {
            admin.resource(direct("g-" + i)).create(); // 12 × 100m = 1200m > the real 1000m
        }
        awaitRunning(admin, DIRECT_PODS);
        QshardConfig config = config();
        agent = new NodeAgent(agentSettings(config), client(cp, "qshard-it-agent/" + node.name()), Clock.systemUTC());
        agent.start(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        admin.resources(NodeUsage.class).withName(node.name()).get() != null);
        mid = SchedulerProcess.start(
                client(cp, "qshard-it-scheduler/mid"),
                config,
                ShippedPlugins.registry(),
                List.of(config.tier(DefaultTiers.MID)),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC());
        for (int i = 0; i < 2; i++) {
            admin.resource(midPod("mid-" + i)).create(); // room for both: 1500 − 1200 = 300m
        }
        awaitRunning(admin, DIRECT_PODS + 2);
        assertThat(pods(admin))
                .filteredOn(p -> p.getMetadata().getName().startsWith("mid-"))
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(node.name()));
    }

    @Test
    @Order(3)
    void aLoweredRatioNeverRejectsOrEvictsARunningPod(KubernetesClient admin) {
        assertThat(pods(admin)).hasSize(DIRECT_PODS + 2).allMatch(KubeletPods::running);
        ratios(admin, "1.1", "1.0", false); // 1100m, below the 1400m the pods request
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> milliCpu(admin.nodes()
                                .withName(node.name())
                                .get()
                                .getStatus()
                                .getAllocatable())
                        == 1100);
        // five status periods and more than one agent report: nothing the kubelet or qshard does touches them
        await().during(Duration.ofSeconds(12))
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<Pod> pods = pods(admin);
                    assertThat(pods).hasSize(DIRECT_PODS + 2).allMatch(KubeletPods::running);
                    assertThat(pods)
                            .flatExtracting(p -> p.getStatus().getContainerStatuses())
                            .allSatisfy(c -> assertThat(c.getRestartCount()).isZero());
                    assertThat(ready(admin.nodes().withName(node.name()).get())).isTrue();
                });
        assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                .extracting(Event::getReason)
                .doesNotContain("Evicted", "Preempting", "Killing");
        // a new mid pod: qshard sees the admit room 1100 − 1400 < 0
        admin.resource(midPod("mid-late")).create();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Pod p = admin.pods().inNamespace(ns).withName("mid-late").get();
                    assertThat(p.getSpec().getNodeName()).isNull();
                    assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("PodScheduled");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getMessage()).contains("Insufficient cpu");
                    });
                });
        // a pod bound directly: the kubelet honours the lowered value for new pods
        admin.resource(direct("g-late")).create();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> KubeletPods.admissionFailure(
                                admin.pods().inNamespace(ns).withName("g-late").get())
                        .filter(f -> f.startsWith("OutOfcpu"))
                        .isPresent());
        assertThat(pods(admin))
                .filteredOn(p -> !p.getMetadata().getName().endsWith("-late"))
                .hasSize(DIRECT_PODS + 2)
                .allMatch(KubeletPods::running);
    }

    /** Sets node 2's ratio annotations (and the opt-in label, when asked): one metadata patch, as by hand. */
    private static void ratios(KubernetesClient admin, String cpu, String memory, boolean label) {
        String labels = label ? "\"labels\":{\"" + OversaleRatio.OPT_IN_LABEL + "\":\"true\"}," : "";
        admin.nodes()
                .withName(node.name())
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{" + labels + "\"annotations\":{\"" + OversaleRatio.CPU_ANNOTATION + "\":\""
                                + cpu + "\",\"" + OversaleRatio.MEMORY_ANNOTATION + "\":\"" + memory + "\"}}}");
    }

    private static Pod direct(String name) {
        return PodFixture.pod(name)
                .namespace(ns)
                .onKubelet()
                .cpuMilli(100)
                .memoryMi(32)
                .nodeName(node.name())
                .build();
    }

    private static Pod midPod(String name) {
        return PodFixture.pod(name)
                .namespace(ns)
                .tier(DefaultTiers.MID)
                .onKubelet()
                .cpuMilli(100)
                .memoryMi(32)
                .nodeSelector("kubernetes.io/hostname", node.name())
                .build();
    }

    private static List<Pod> pods(KubernetesClient admin) {
        return admin.pods().inNamespace(ns).list().getItems();
    }

    private static void awaitRunning(KubernetesClient admin, int count) {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<Pod> pods = pods(admin);
                    assertThat(pods)
                            .extracting(KubeletPods::admissionFailure)
                            .as("no pod rejected by the kubelet")
                            .allMatch(Optional::isEmpty);
                    assertThat(pods).hasSize(count).allMatch(KubeletPods::running);
                });
    }

    private static boolean ready(Node n) {
        return n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static long milliCpu(Map<String, Quantity> resources) {
        return Quantity.getAmountInBytes(resources.get("cpu")).movePointRight(3).longValueExact();
    }

    /** Reports every 2 s, stale after 20 s, predictions off: the mid pool follows the last report. */
    private static QshardConfig config() {
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
                .withPredictions(QshardConfig.defaults().predictions().withEnabled(false));
    }

    /** The agent on node 2, dry-run: it reports this node's pod usage and changes nothing. */
    private static AgentSettings agentSettings(QshardConfig config) {
        return new AgentSettings(
                node.name(),
                Path.of("/sys/fs/cgroup"),
                node.cgroupParent(),
                "auto",
                CgroupDriver.CGROUPFS,
                Path.of("/proc"),
                UsageSampler.NodeSource.KUBEPODS,
                REPORT_INTERVAL,
                Duration.ofMillis(500),
                AgentSettings.DEFAULT_FAST_PATH_CHANGE,
                0,
                AgentSettings.DEFAULT_EVICT_GRACE,
                1.0,
                true,
                0,
                config);
    }

    private static KubernetesClient client(LocalControlPlane cp, String agentName) {
        return ApiClients.create(Config.fromKubeconfig(cp.kubeconfig().toFile()), agentName);
    }
}
