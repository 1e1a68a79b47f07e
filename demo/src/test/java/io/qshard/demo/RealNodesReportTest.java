package io.qshard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real-nodes report counts from pod status alone: bound, running, refused by the kubelet, pinned and unbound. */
class RealNodesReportTest {
    private static final List<Node> REAL = List.of(real("qshard-kl-1", 300), real("qshard-kl-2", 0));

    @Test
    void countsEachTierAndNamesEveryRefusal() {
        List<Pod> pods = List.of(
                running(pinned("p1", "prod").nodeName("qshard-kl-1").build()),
                running(pinned("p2", "prod").nodeName("qshard-kl-2").build()),
                running(pinned("m1", "mid").nodeName("qshard-kl-1").build()),
                failed(pinned("m2", "mid").nodeName("qshard-kl-2").build(), "OutOfcpu", "Node didn't have enough"),
                pinned("m3", "mid").build(), // unbound
                running(pinned("b1", "batch").nodeName("qshard-kl-1").build()),
                phase(pinned("f1", "free").nodeName("qshard-kl-2").build(), "Pending"), // bound, still starting
                running(PodFixture.pod("sim")
                        .tier("prod")
                        .cpuMilli(4000)
                        .nodeName("demo-node-000")
                        .build()),
                PodFixture.pod("main-pending").tier("mid").build(), // not pinned: not the real nodes' business
                running(PodFixture.pod("other")
                        .schedulerName("default-scheduler")
                        .nodeName("qshard-kl-1")
                        .build()),
                deleting(running(pinned("gone", "batch").nodeName("qshard-kl-2").build())));

        RealNodesReport r = RealNodesReport.of(pods, REAL);

        assertThat(r.tiers())
                .containsExactly(
                        Map.entry("prod", new RealNodesReport.Tally(2, 2, 0, 0)),
                        Map.entry("mid", new RealNodesReport.Tally(2, 1, 1, 1)),
                        Map.entry("batch", new RealNodesReport.Tally(1, 1, 0, 0)),
                        Map.entry("free", new RealNodesReport.Tally(1, 0, 0, 0)));
        assertThat(r.rejections()).isEqualTo(1);
        assertThat(r.rejected()).containsExactly("m2 on qshard-kl-2: OutOfcpu: Node didn't have enough");
        assertThat(r.starting()).containsExactly("f1 on qshard-kl-2: phase Pending");
        assertThat(r.nodes())
                .containsExactly(
                        "qshard-kl-1: cpu 200 of 1000m requested, qshard.io/batch-cpu 100 of 300 advertised",
                        "qshard-kl-2: cpu 100 of 1000m requested, qshard.io/batch-cpu 100 of 0 advertised");
        assertThat(r.text())
                .contains("Real kubelet nodes (2): per tier — bound to real nodes / Running / rejected by the kubelet")
                .contains("  prod 2/2/0/0  mid 2/1/1/1  batch 1/1/0/0  free 1/0/0/0\n")
                .contains("  rejections: 1\n    m2 on qshard-kl-2: OutOfcpu: Node didn't have enough\n")
                .contains("bound, not running yet: 1");
    }

    @Test
    void noRefusalSaysSo() {
        RealNodesReport r = RealNodesReport.of(
                List.of(running(pinned("p1", "prod").nodeName("qshard-kl-1").build())), REAL);
        assertThat(r.rejections()).isZero();
        assertThat(r.text())
                .contains("  prod 1/1/0/0  mid 0/0/0/0")
                .contains("  rejections: 0\n")
                .doesNotContain("not running yet");
    }

    private static PodFixture pinned(String name, String tier) {
        return PodFixture.pod(name)
                .namespace(DemoWorkload.NAMESPACE)
                .tier(tier)
                .cpuMilli(100)
                .onKubelet();
    }

    private static Node real(String name, long batchCpu) {
        NodeFixture n = NodeFixture.node(name).cpu("1").memory("3Gi");
        return (batchCpu > 0 ? n.batch(batchCpu, 1L << 30) : n).build();
    }

    private static Pod running(Pod p) {
        p.setStatus(new PodStatusBuilder()
                .withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("main")
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build())
                .build());
        return p;
    }

    private static Pod failed(Pod p, String reason, String message) {
        p.setStatus(new PodStatusBuilder()
                .withPhase("Failed")
                .withReason(reason)
                .withMessage(message)
                .build());
        return p;
    }

    private static Pod phase(Pod p, String phase) {
        p.setStatus(new PodStatusBuilder().withPhase(phase).build());
        return p;
    }

    private static Pod deleting(Pod p) {
        return new PodBuilder(p)
                .editMetadata()
                .withDeletionTimestamp("2026-12-07T20:00:00Z")
                .endMetadata()
                .build();
    }
}
