package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A walk narrowed to PodTopologySpread's candidate nodes decides exactly as the walk over every node: same node, same
 * score, same feasible count, same diagnosis when nothing fits — and it does narrow.
 */
class CandidateOrderTest {
    private static final String ZONE = TopologySpreadConstraint.ZONE_KEY;

    private final SchedulingAlgorithm prod = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named("prod"), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());

    private static PodRequest spread(String uid, String app, int maxSkew, long cpu) {
        return pod(uid, "prod", cpu, 1)
                .build()
                .withTopology(
                        Map.of("app", app),
                        PodAffinity.NONE,
                        List.of(TopologySpreadConstraint.of(
                                maxSkew, ZONE, true, LabelSelector.of(Map.of("app", app), List.of()))));
    }

    @Test
    void narrowedWalksDecideAsFullWalks() {
        SplittableRandom random = new SplittableRandom(11);
        int narrowed = 0;
        int unschedulable = 0;
        for (int cluster = 0; cluster < 8; cluster++) {
            ClusterState state = new ClusterState();
            int nodes = 200 + random.nextInt(400);
            int zones = 4 + random.nextInt(8);
            for (int i = 0; i < nodes; i++) {
                var b = node("n" + i, 2000L << random.nextInt(3), 16);
                if (random.nextInt(20) != 0) { // a few nodes without a zone
                    b.label(ZONE, "z" + random.nextInt(zones));
                }
                state.upsertNode(b.build());
            }
            for (int p = 0; p < nodes * 2; p++) { // existing pods of 5 apps, unevenly spread
                state.upsertPod(pod("e" + cluster + "-" + p, "prod", 100, 1)
                        .foreign()
                        .build()
                        .withTopology(Map.of("app", "a" + random.nextInt(5)), PodAffinity.NONE, List.of())
                        .boundTo("n" + random.nextInt(1 + random.nextInt(nodes))));
            }
            for (int d = 0; d < 60; d++) {
                // big pods make some clusters unschedulable, to compare the diagnoses too
                PodRequest pod = spread(
                        "p" + cluster + "-" + d,
                        "a" + random.nextInt(5),
                        1 + random.nextInt(2),
                        random.nextInt(10) == 0 ? 9000 : 500);
                ClusterSnapshot s = state.snapshot();
                long seed = random.nextLong();
                ScheduleResult walkAll = prod.decide(s, pod, seed, -1, null, new CycleState(), false);
                ScheduleResult walkFew = prod.decide(s, pod, seed, -1, null, new CycleState(), true);
                assertThat(walkFew.node())
                        .as("cluster %d decision %d", cluster, d)
                        .isEqualTo(walkAll.node());
                assertThat(walkFew.score()).isEqualTo(walkAll.score());
                assertThat(walkFew.feasible()).isEqualTo(walkAll.feasible());
                if (walkAll.isPlaced()) {
                    narrowed += walkFew.evaluated() < walkAll.evaluated() ? 1 : 0;
                    state.assume(pod, walkAll.node());
                } else {
                    unschedulable++;
                    assertThat(walkFew.diagnosis().message())
                            .isEqualTo(walkAll.diagnosis().message());
                }
            }
        }
        assertThat(narrowed).as("the candidates narrowed some walks").isGreaterThan(50);
        assertThat(unschedulable).as("some pods fit nowhere").isPositive();
    }
}
