package io.qshard.core.plugins.imagelocality;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.testing.Extremes;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * ImageLocality with image sizes anywhere from 0 to {@link Long#MAX_VALUE} ({@code status.images[].sizeBytes} is an
 * int64): every score is in [0, 100], and a node holding more of the pod's images never scores lower.
 */
class ImageLocalityPropertyTest {
    private static final String[] IMAGES = {"a:1", "b:1", "c:1"};
    private final ImageLocality plugin = new ImageLocality();

    @Property(tries = 500)
    void scoresStayInRangeAndGrowWithTheImagesHeld(
            @ForAll("sizes") List<Long> sizes, @ForAll("containers") List<String> images) {
        ClusterState cluster = new ClusterState();
        Map<String, Long> all = Map.of(IMAGES[0], sizes.get(0), IMAGES[1], sizes.get(1), IMAGES[2], sizes.get(2));
        cluster.upsertNode(ImageLocalityTest.imaged("full", all));
        cluster.upsertNode(ImageLocalityTest.imaged("part", Map.of(IMAGES[0], sizes.get(0))));
        cluster.upsertNode(ImageLocalityTest.imaged("none", Map.of()));
        ClusterSnapshot s = cluster.snapshot();
        NodeState[] feasible = {
            s.node("full").orElseThrow(),
            s.node("part").orElseThrow(),
            s.node("none").orElseThrow()
        };
        PodRequest pod = ImageLocalityTest.withImages(images.toArray(String[]::new));
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, s, feasible, feasible.length))
                .as("every image is on the full node")
                .isSameAs(Status.SUCCESS);
        long[] out = new long[feasible.length];
        plugin.scoreAll(state, pod, feasible, feasible.length, out);
        for (long score : out) {
            assertThat(score).isBetween(0L, ScorePlugin.MAX_SCORE);
        }
        assertThat(out[0]).as("full ≥ part").isGreaterThanOrEqualTo(out[1]);
        assertThat(out[1]).as("part ≥ none").isGreaterThanOrEqualTo(out[2]);
    }

    @Example
    void twoContainersOfAHugeImageScoreTheMaximum() {
        // found by scoresStayInRangeAndGrowWithTheImagesHeld: two containers of an image reported at
        // 9223372036854775807 bytes on every node summed past a long, wrapped negative and scored 0 instead of 100
        ClusterState cluster = new ClusterState();
        cluster.upsertNode(ImageLocalityTest.imaged("n", Map.of("a:1", Long.MAX_VALUE)));
        ClusterSnapshot s = cluster.snapshot();
        NodeState[] feasible = {s.node("n").orElseThrow()};
        PodRequest pod = ImageLocalityTest.withImages("a:1", "a:1");
        CycleState state = new CycleState();
        plugin.preScore(state, pod, s, feasible, 1);
        assertThat(plugin.score(state, pod, feasible[0])).isEqualTo(ScorePlugin.MAX_SCORE);
    }

    @Provide
    Arbitrary<List<Long>> sizes() {
        return Extremes.amounts().list().ofSize(3);
    }

    @Provide
    Arbitrary<List<String>> containers() {
        return Arbitraries.of(IMAGES).list().ofMinSize(1).ofMaxSize(4);
    }
}
