package io.qshard.core.plugins.imagelocality;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.ImageNames;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Four nodes (MB = 2^20 bytes): n0 holds nginx:1.19 (100MB), big:1 (2000MB), small:1 (10MB); n1 nginx:1.19, small:1;
 * n2 app:latest (500MB), small:1; n3 — another shard's node, observed only — small:1. So nginx:1.19 is on 2 of 4
 * nodes, big:1 and app:latest on 1, small:1 on 4. kube-scheduler 1.20: per container image on the node
 * int64(size × numNodes / 4); sum clamped to [23MB, 1000MB × containers]; score = 100 × (sum − 23MB) / (max − 23MB).
 */
class ImageLocalityTest {
    private static final long MB = 1L << 20;
    private final ImageLocality plugin = new ImageLocality();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                // n0: 100MB × 2/4 = 50MB → 100 × 27 / 977 = 2.76 → 2; n1 the same
                "nginx:1.19; 2 2 0",
                // n0: 2000MB × 1/4 = 500MB → 100 × 477 / 977 = 48.8 → 48
                "big:1; 48 0 0",
                // "app" is app:latest; n2: 500MB / 4 = 125MB → 100 × 102 / 977 = 10.4 → 10
                "app; 0 0 10",
                // two containers, max 2000MB: n0 50 + 500 = 550MB → 100 × 527 / 1977 = 26.7 → 26; n1 50MB → 1.4 → 1
                "nginx:1.19 big:1; 26 1 0",
                // the same image twice counts twice: n0 100MB of 2000MB → 100 × 77 / 1977 = 3.9 → 3
                "nginx:1.19 nginx:1.19; 3 3 0",
                // n0 500MB → 100 × 477 / 1977 = 24.1 → 24; n2 125MB → 100 × 102 / 1977 = 5.2 → 5
                "big:1 app; 24 0 5",
                // on every node, but 10MB × 4/4 < 23MB → 0 everywhere
                "small:1; 0 0 0",
            })
    void scoresAsKubeScheduler(String images, String expected) {
        ClusterSnapshot s = cluster().snapshot();
        PodRequest p = withImages(images.trim().split("\\s+"));
        NodeState[] feasible = feasible(s);
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, p, s, feasible, feasible.length)).isSameAs(Status.SUCCESS);
        long[] out = new long[feasible.length];
        plugin.scoreAll(state, p, feasible, feasible.length, out);
        assertThat(Arrays.stream(out).boxed().toList())
                .isEqualTo(Arrays.stream(expected.trim().split("\\s+"))
                        .map(Long::valueOf)
                        .toList());
        for (int k = 0; k < feasible.length; k++) {
            assertThat(plugin.score(state, p, feasible[k])).isEqualTo(out[k]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "nginx", // nginx:latest: on no node
        "docker.io/library/nginx:1.19", // names are not resolved further, as in kube
        "absent:1 other:2",
    })
    void preScoreStepsAsideWhenNoImageIsOnAnyNode(String images) {
        ClusterSnapshot s = cluster().snapshot();
        NodeState[] feasible = feasible(s);
        assertThat(plugin.preScore(new CycleState(), withImages(images.split(" ")), s, feasible, feasible.length))
                .isSameAs(Status.SKIP);
        assertThat(plugin.preScore(new CycleState(), pod("p", "prod", 100, 1).build(), s, feasible, feasible.length))
                .as("no images at all")
                .isSameAs(Status.SKIP);
        assertThat(plugin.nodeLocal()).isFalse();
    }

    @Test
    void nodeCountsFollowTheCluster() {
        ClusterState state = cluster();
        // n4 pulls nginx:1.19: 3 of 5 nodes. n0: int(100MB × 0.6) = 60MB → 100 × 37 / 977 = 3.8 → 3
        state.upsertNode(imaged("n4", Map.of("nginx:1.19", 100 * MB)));
        ClusterSnapshot s = state.snapshot();
        PodRequest p = withImages("nginx:1.19");
        CycleState cs = new CycleState();
        NodeState[] feasible = feasible(s);
        assertThat(plugin.preScore(cs, p, s, feasible, feasible.length)).isSameAs(Status.SUCCESS);
        assertThat(plugin.score(cs, p, s.node("n0").orElseThrow())).isEqualTo(3);
        assertThat(ImageLocality.nodesWithImage(s.topology().nodes(), "nginx:1.19"))
                .isEqualTo(3);
        // n4 leaves: back to 2 of 4 → 2
        state.deleteNode("n4");
        s = state.snapshot();
        cs = new CycleState();
        plugin.preScore(cs, p, s, feasible(s), feasible(s).length);
        assertThat(plugin.score(cs, p, s.node("n0").orElseThrow())).isEqualTo(2);
    }

    @Test
    void anImagePulledOnAKnownNodeCountsAtOnce() {
        ClusterState state = cluster();
        assertThat(ImageLocality.nodesWithImage(state.snapshot().topology().nodes(), "nginx:1.19"))
                .isEqualTo(2);
        // n2 (labels and taints unchanged) pulls nginx:1.19: n0, n1, n2 → 3; n3 (another shard's) likewise → 4
        state.upsertNode(imaged("n2", Map.of("app:latest", 500 * MB, "small:1", 10 * MB, "nginx:1.19", 100 * MB)));
        assertThat(ImageLocality.nodesWithImage(state.snapshot().topology().nodes(), "nginx:1.19"))
                .isEqualTo(3);
        state.observeNode(imaged("n3", Map.of("small:1", 10 * MB, "nginx:1.19", 100 * MB)));
        assertThat(ImageLocality.nodesWithImage(state.snapshot().topology().nodes(), "nginx:1.19"))
                .isEqualTo(4);
    }

    @Test
    void thresholdsAreKubesAndScaleWithTheContainers() {
        assertThat(ImageLocality.calculatePriority(0, 1)).isZero();
        assertThat(ImageLocality.calculatePriority(23 * MB, 1)).isZero();
        assertThat(ImageLocality.calculatePriority(1000 * MB, 1)).isEqualTo(100);
        assertThat(ImageLocality.calculatePriority(5000 * MB, 1)).isEqualTo(100);
        assertThat(ImageLocality.calculatePriority(1000 * MB, 2)).isEqualTo(49); // 100 × 977 / 1977
        assertThat(ImageNames.normalize("localhost:5000/app")).isEqualTo("localhost:5000/app:latest");
        assertThat(ImageNames.normalize("nginx@sha256:abc")).isEqualTo("nginx@sha256:abc");
    }

    /** n0..n2 placed by this state, n3 only observed (another shard's). */
    static ClusterState cluster() {
        ClusterState state = new ClusterState();
        state.upsertNode(imaged("n0", Map.of("nginx:1.19", 100 * MB, "big:1", 2000 * MB, "small:1", 10 * MB)));
        state.upsertNode(imaged("n1", Map.of("nginx:1.19", 100 * MB, "small:1", 10 * MB)));
        state.upsertNode(imaged("n2", Map.of("app:latest", 500 * MB, "small:1", 10 * MB)));
        state.observeNode(imaged("n3", Map.of("small:1", 10 * MB)));
        return state;
    }

    static Node imaged(String name, Map<String, Long> images) {
        Node n = node(name, 8000, 32).build();
        return new Node(
                n.name(),
                n.labels(),
                n.taints(),
                n.allocatable(),
                n.realAllocatable(),
                n.unschedulable(),
                n.annotations(),
                images);
    }

    static PodRequest withImages(String... images) {
        return pod("p", "prod", 100, 1)
                .build()
                .withDetails(new PodDetails(-1, -1, List.of(), List.of(), List.of(images), List.of()));
    }

    /** The snapshot's nodes ordered by name. */
    private static NodeState[] feasible(ClusterSnapshot s) {
        NodeState[] out = new NodeState[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.node(i);
        }
        Arrays.sort(out, (a, b) -> a.name().compareTo(b.name()));
        return out;
    }
}
