package io.qshard.kubeletit.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionAuditTest {
    private static final List<Node> NODES = List.of(node("kl-1", "1", "800"), node("kl-2", "1", null));

    @Test
    void talliesEachTierAndNamesEveryRefusal() {
        List<Pod> pods = List.of(
                running(pod("p1", "prod", "kl-1", Map.of("cpu", "600m"))),
                running(pod("p2", "prod", "kl-2", Map.of("cpu", "1"))),
                failed(pod("p3", "prod", "kl-2", Map.of("cpu", "100m")), "OutOfcpu", "Node didn't have enough"),
                pod("p4", "prod", null, Map.of("cpu", "100m")),
                running(pod("m1", "mid", "kl-1", Map.of("cpu", "300m"))),
                running(pod("b1", "batch", "kl-1", Map.of("qshard.io/batch-cpu", "500"))),
                failed(
                        pod("f1", "free", "kl-1", Map.of("qshard.io/batch-cpu", "400")),
                        "OutOfqshard.io/batch-cpu",
                        "x"),
                pod("f2", "free", null, Map.of("qshard.io/batch-cpu", "100")));

        AdmissionAudit a = AdmissionAudit.of(pods, NODES, 10);

        assertThat(a.tiers())
                .containsExactly(
                        Map.entry("prod", new AdmissionAudit.Tally(3, 2, 1, 1)),
                        Map.entry("mid", new AdmissionAudit.Tally(1, 1, 0, 0)),
                        Map.entry("batch", new AdmissionAudit.Tally(1, 1, 0, 0)),
                        Map.entry("free", new AdmissionAudit.Tally(1, 0, 1, 1)));
        assertThat(a.rejected())
                .containsExactly(
                        "ns/p3 on kl-2: OutOfcpu: Node didn't have enough",
                        "ns/f1 on kl-1: OutOfqshard.io/batch-cpu: x");
        assertThat(a.problems()).hasSize(2).allMatch(p -> p.startsWith("rejected by the kubelet: "));
        assertThat(a.vanished()).isEqualTo(2);
        assertThat(a.line(2))
                .isEqualTo(
                        "ADMISSION AUDIT round 2: placed on real nodes prod 3/mid 1/batch 1/free 1, running 2+1+1+0 = 4,"
                                + " rejected by the kubelet 2, left unschedulable 2, preempted 2, bound but not running 0");
        // a refused pod holds nothing on its node
        assertThat(a.nodes())
                .containsEntry("kl-1", new AdmissionAudit.NodeLoad(900, 1000, 500, 800))
                .containsEntry("kl-2", new AdmissionAudit.NodeLoad(1000, 1000, 0, 0));
        assertThat(a.tiersNotPlaced()).isEmpty();
    }

    @Test
    void aBoundPodThatDoesNotRunIsAProblemAndSoIsOneOffTheKubeletNodes() {
        Pod waiting = new PodBuilder(pod("w", "mid", "kl-1", Map.of("cpu", "100m")))
                .editStatus()
                .withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("main")
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();
        Pod restarted = new PodBuilder(running(pod("r", "mid", "kl-1", Map.of("cpu", "100m"))))
                .editStatus()
                .editFirstContainerStatus()
                .withRestartCount(1)
                .endContainerStatus()
                .endStatus()
                .build();
        Pod pending = new PodBuilder(pod("q", "batch", "kl-2", Map.of("qshard.io/batch-cpu", "100")))
                .editStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        Pod elsewhere = running(pod("e", "prod", "api-only", Map.of("cpu", "100m")));

        AdmissionAudit a = AdmissionAudit.of(List.of(waiting, restarted, pending, elsewhere), NODES, 4);

        assertThat(a.notReady())
                .satisfiesExactly(
                        w -> assertThat(w)
                                .startsWith("ns/w on kl-1: container main not running")
                                .contains("CrashLoopBackOff"),
                        r -> assertThat(r).isEqualTo("ns/r on kl-1: container main restarted 1 times"),
                        q -> assertThat(q).isEqualTo("ns/q on kl-2: phase Pending"));
        assertThat(a.offNodes()).containsExactly("ns/e on api-only");
        assertThat(a.problems()).hasSize(4);
        assertThat(a.tiers().get("prod")).isEqualTo(new AdmissionAudit.Tally(0, 0, 0, 0));
        assertThat(a.tiersNotPlaced()).containsExactly("prod", "free");
        assertThat(a.line(1)).contains("running 0+0+0+0 = 0", "bound but not running 3");
    }

    @Test
    void aBurstIsTightOnlyWhenSomeNodeIsFullForCpuAndSomeForBatchCpu() {
        Pod cpuFull = running(pod("a", "prod", "kl-2", Map.of("cpu", "950m")));
        Pod batchFull = running(pod("b", "batch", "kl-1", Map.of("qshard.io/batch-cpu", "700")));
        Pod batchLow = running(pod("c", "batch", "kl-1", Map.of("qshard.io/batch-cpu", "650")));

        assertThat(AdmissionAudit.of(List.of(cpuFull, batchFull), NODES, 2).notTight(100))
                .isEmpty();
        assertThat(AdmissionAudit.of(List.of(cpuFull, batchLow), NODES, 2).notTight(100))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("burst not tight, raise the counts: no node within 100m of its "
                                + "qshard.io/batch-cpu advertisement"));
        assertThat(AdmissionAudit.of(List.of(batchLow), NODES, 1).notTight(100))
                .hasValueSatisfying(m ->
                        assertThat(m).contains("its cpu allocatable, nor of its qshard.io/batch-cpu advertisement"));
    }

    @Test
    void quantitiesAreReadAsTheKubeletReadsThem() {
        assertThat(AdmissionAudit.milli(new Quantity("250m"))).isEqualTo(250);
        assertThat(AdmissionAudit.milli(new Quantity("2"))).isEqualTo(2000);
        assertThat(AdmissionAudit.milli(new Quantity("0.1"))).isEqualTo(100);
        assertThat(AdmissionAudit.milli(null)).isZero();
        Pod limitOnly = new PodBuilder(pod("l", "prod", "kl-1", Map.of()))
                .editSpec()
                .editFirstContainer()
                .editResources()
                .withLimits(Map.of("cpu", new Quantity("300m"), "qshard.io/batch-cpu", new Quantity("150")))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(AdmissionAudit.requested(limitOnly, "cpu")).isEqualTo(300);
        assertThat(AdmissionAudit.requested(limitOnly, AdmissionAudit.BATCH_CPU))
                .isEqualTo(150);
        assertThat(AdmissionAudit.tier(pod("x", "other-scheduler", null, Map.of())))
                .isEqualTo("other");
    }

    @Test
    void theKubeletHasDecidedOnceAPodFailedOrEveryContainerStarted() {
        Pod pending = pod("p", "prod", "kl-1", Map.of("cpu", "100m"));
        Pod creating = new PodBuilder(running(pending))
                .editStatus()
                .editFirstContainerStatus()
                .withNewState()
                .withNewWaiting()
                .withReason("ContainerCreating")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();

        assertThat(AdmissionAudit.decided(pending)).isFalse();
        assertThat(AdmissionAudit.decided(creating)).isFalse();
        assertThat(AdmissionAudit.decided(running(pending))).isTrue();
        assertThat(AdmissionAudit.decided(failed(pending, "OutOfcpu", "m"))).isTrue();
    }

    @Test
    void moreFoundThanCreatedIsABug() {
        assertThatThrownBy(() -> AdmissionAudit.of(List.of(pod("a", "prod", null, Map.of())), NODES, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burstSize 0 < pods found 1");
    }

    private static Pod pod(String name, String tier, String node, Map<String, String> requests) {
        Map<String, Quantity> req = new LinkedHashMap<>();
        requests.forEach((k, v) -> req.put(k, new Quantity(v)));
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(tier.equals("other-scheduler") ? "default-scheduler" : "qshard-" + tier)
                .withNodeName(node)
                .addNewContainer()
                .withName("main")
                .withNewResources()
                .withRequests(req)
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
    }

    private static Pod running(Pod p) {
        return new PodBuilder(p)
                .editStatus()
                .withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("main")
                        .withRestartCount(0)
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build())
                .endStatus()
                .build();
    }

    private static Pod failed(Pod p, String reason, String message) {
        return new PodBuilder(p)
                .editStatus()
                .withPhase("Failed")
                .withReason(reason)
                .withMessage(message)
                .endStatus()
                .build();
    }

    private static Node node(String name, String cpu, String batchCpu) {
        Map<String, Quantity> alloc = new LinkedHashMap<>();
        alloc.put("cpu", new Quantity(cpu));
        if (batchCpu != null) {
            alloc.put(AdmissionAudit.BATCH_CPU, new Quantity(batchCpu));
        }
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withAllocatable(alloc)
                .endStatus()
                .build();
    }
}
