package io.qshard.kubeletit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kubeletit.support.AdmissionAudit;
import io.qshard.kubeletit.support.QshardProcesses;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission audit in the shipped topology (issue 25): prod, mid, batch and free schedulers as four OS processes
 * ({@code bin/qshard run}, as {@code manifests/scheduler/deployments.yaml} runs them) and a node agent per real kubelet
 * node ({@code bin/qshard-agent}, the DaemonSet's job), each with its ServiceAccount's RBAC; a racing burst of all four
 * tiers onto the two kubelet nodes (1000m each), in which prod and mid contend for native cpu and batch and free for
 * {@code qshard.io/batch-cpu} across processes. Every pod qshard binds must be admitted by the kubelet and run: no
 * {@code OutOf*}, no {@code UnexpectedAdmissionError}, no restart. Two API-only nodes with room to spare stand beside
 * the kubelet nodes; the burst's nodeSelector must keep it off them. Each round prints an {@code ADMISSION AUDIT} line
 * (bench/RESULTS.md); the processes' output is kept in {@code target/shipped-topology/}.
 */
@RealControlPlane(kubeletNodes = 2)
class ShippedTopologyAdmissionIT {
    private static final Logger LOG = LoggerFactory.getLogger(ShippedTopologyAdmissionIT.class);
    private static final int ROUNDS = 2;
    private static final String API_ONLY = "qshard.io/it-api-only";

    @Test
    void everyPodQshardBindsIsAdmittedByTheKubeletAndRuns(
            KubernetesClient admin, LocalControlPlane cp, KubeletNodes kubelets) {
        Bulk.create(admin, List.of(apiOnly("api-only-1"), apiOnly("api-only-2")), 2);
        try (QshardProcesses qshard = QshardProcesses.start(admin, cp, kubelets.nodes())) {
            for (int round = 1; round <= ROUNDS; round++) {
                long t0 = System.nanoTime();
                String ns = Namespaces.fresh(admin, "admission-" + round);
                List<Pod> burst = burst(ns);
                Bulk.create(admin, burst, 16);
                settle(admin, ns);
                awaitKubeletVerdicts(admin, ns);
                List<Node> nodes = admin.nodes()
                        .withLabel(KubeletNodes.NODE_LABEL, "true")
                        .list()
                        .getItems();
                AdmissionAudit audit = AdmissionAudit.of(pods(admin, ns), nodes, burst.size());
                String line = audit.line(round);
                System.out.println(line); // for bench/RESULTS.md
                LOG.info(
                        "round {} in {} s; per kubelet node: {}",
                        round,
                        (System.nanoTime() - t0) / 1_000_000_000,
                        audit.nodes());

                qshard.assertAlive();
                assertThat(audit.problems())
                        .as("%s%nevery pod qshard bound must be admitted by the kubelet and run", line)
                        .isEmpty();
                assertThat(audit.tiersNotPlaced())
                        .as("tiers that placed nothing on a real node")
                        .isEmpty();
                assertThat(audit.notTight(100))
                        .as("the burst must contest the nodes' last room")
                        .isEmpty();
                clear(admin, ns, kubelets.nodes());
            }
            Map<String, Integer> exits = qshard.stop();
            assertThat(exits)
                    .as("exit codes after SIGTERM; output:%n%s", qshard.tails(30))
                    .allSatisfy((name, code) -> assertThat(code).as(name).isZero());
        } finally {
            admin.nodes().withLabel(API_ONLY).delete();
        }
    }

    /**
     * 16 prod + 12 mid pods of 100m / 32Mi (2800m of native cpu asked of 2 × 1000m; prod alone cannot take it all,
     * so mid always contests what prod leaves — with 20 prod, prod's preemptions could leave mid nothing, and the
     * tier check below failed on a race) and 12 batch + 12 free pods of
     * 100 / 32Mi batch (2400 asked of ≈ 2 × 800 advertised), tiers interleaved so that all four processes race from the
     * first moment; each with its tier's PriorityClass, as manifests/examples/ has them.
     */
    private static List<Pod> burst(String ns) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            out.add(pod(ns, "prod", i));
            if (i < 12) {
                out.add(pod(ns, "mid", i));
                out.add(pod(ns, "batch", i));
                out.add(pod(ns, "free", i));
            }
        }
        return out;
    }

    private static Pod pod(String ns, String tier, int i) {
        Pod p = PodFixture.pod(tier + "-" + i)
                .namespace(ns)
                .tier(tier)
                .cpuMilli(100)
                .memoryMi(32)
                .onKubelet()
                .build();
        return new PodBuilder(p)
                .editSpec()
                .withPriorityClassName("qshard-" + tier)
                .endSpec()
                .build();
    }

    /** An API-only node (no kubelet) with more room than both kubelet nodes: only the nodeSelector keeps pods off. */
    private static Node apiOnly(String name) {
        return NodeFixture.node(name)
                .cpu("8")
                .memory("32Gi")
                .batch(6000, 16L << 30)
                .label(API_ONLY, "true")
                .build();
    }

    /**
     * Waits until every pod is bound or marked {@code PodScheduled=False}, and the placement (pod → node) has not
     * changed for 10 s: what fits nowhere stays pending, preemption victims are gone and their preemptors bound.
     */
    private static void settle(KubernetesClient admin, String ns) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        await("the burst settles")
                .atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofSeconds(1))
                .during(Duration.ofSeconds(10))
                .until(() -> {
                    List<Pod> pods = pods(admin, ns);
                    Map<String, String> placement = new TreeMap<>();
                    pods.forEach(p -> placement.put(p.getMetadata().getName(), nodeOf(p)));
                    boolean decided = pods.stream().allMatch(p -> !nodeOf(p).isEmpty() || unschedulable(p));
                    return decided && placement.equals(last.getAndSet(placement));
                });
    }

    /** Waits until the kubelet has refused or started every bound pod; on timeout the audit names the stragglers. */
    private static void awaitKubeletVerdicts(KubernetesClient admin, String ns) {
        try {
            await("every bound pod admitted and started, or refused")
                    .atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> pods(admin, ns).stream()
                            .filter(p -> !nodeOf(p).isEmpty())
                            .allMatch(AdmissionAudit::decided));
        } catch (ConditionTimeoutException e) {
            LOG.warn("not every bound pod has a kubelet verdict after 180 s; the audit names them");
        }
    }

    /** Force-deletes the round's pods and waits until their cgroups are gone from both kubelet nodes. */
    private static void clear(KubernetesClient admin, String ns, List<KubeletNode> nodes) {
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        await("the round's pods deleted")
                .atMost(Duration.ofSeconds(60))
                .until(() -> pods(admin, ns).isEmpty());
        await("no pod cgroup left on the kubelet nodes")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> nodes.stream().allMatch(n -> podCgroups(n).isEmpty()));
    }

    /** The {@code pod<uid>} cgroups (cpu hierarchy) of every QoS class on the node. */
    private static List<Path> podCgroups(KubeletNode node) {
        List<Path> out = new ArrayList<>();
        Path kubepods = node.kubepodsCgroup("cpu");
        for (Path dir : List.of(kubepods, kubepods.resolve("burstable"), kubepods.resolve("besteffort"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().startsWith("pod")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<Pod> pods(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).list().getItems();
    }

    private static String nodeOf(Pod p) {
        String n = p.getSpec().getNodeName();
        return n == null ? "" : n;
    }

    private static boolean unschedulable(Pod p) {
        return p.getStatus() != null
                && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    }
}
