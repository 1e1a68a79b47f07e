package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pod nominated to a node (a preemption made room for it) holds that room in every filter run of pods of at most its
 * priority, as in 1.20's {@code addNominatedPods}. One node of 4000m with 2000m bound; "nom" (1500m, priority 9000) is
 * nominated to it. A 1000m pod: with nom 2000 + 1500 + 1000 = 4500 > 4000, without it 3000 ≤ 4000.
 *
 * <pre>
 * pod                     priority  sees nom's room?  fits
 * lower                   100       yes               no
 * equal                   9000      yes (≥)           no
 * higher                  10000     no                yes
 * nom itself (1500m)      9000      no (same uid)     yes: 2000 + 1500 ≤ 4000
 * </pre>
 */
class NominatedRoomTest {
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named(DefaultTiers.PROD), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());
    private final PodRequest nominated =
            nominatedTo(pod("nom", "prod", 1500, 0).priority(9000).build(), "n1");

    private static PodRequest nominatedTo(PodRequest p, String node) {
        return p.withDetails(p.details().withPreemption(false, node));
    }

    private ClusterSnapshot cluster() {
        NodeState n = node("n1", 4000, 8)
                .state()
                .reserve(pod("b", "prod", 2000, 0).build().boundTo("n1"))
                .withNominated(List.of(nominated));
        return ClusterSnapshot.empty().with(n);
    }

    private boolean fits(PodRequest p) {
        return algorithm.schedule(cluster(), p, 1).isPlaced();
    }

    @Test
    void lowerAndEqualPodsSeeTheNominatedRoomTaken() {
        assertThat(fits(pod("lower", "prod", 1000, 0).priority(100).build())).isFalse();
        assertThat(fits(pod("equal", "prod", 1000, 0).priority(9000).build())).isFalse();
        ScheduleResult r = algorithm.schedule(
                cluster(), pod("lower", "prod", 1000, 0).priority(100).build(), 1);
        assertThat(r.diagnosis().message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
    }

    @Test
    void higherPodsAndTheNominatedPodItselfDoNot() {
        assertThat(fits(pod("higher", "prod", 1000, 0).priority(10000).build())).isTrue();
        assertThat(fits(nominated)).isTrue();
    }

    @Test
    void withoutNominationsTheStateIsTheSameObject() {
        NodeState n = node("n2", 4000, 8).state();
        PodRequest p = pod("x", "prod", 1000, 0).build();
        assertThat(n.withNominatedFor(p)).isSameAs(n);
        assertThat(cluster().node("n1").orElseThrow().withNominatedFor(p).requested(NodeState.CPU))
                .isEqualTo(2000 + 1500);
    }
}
