package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.HostPort;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decision reuse with the parity plugins in the default profile: NodePorts (node-local, steps aside for pods without
 * host ports) and ImageLocality (cluster-wide image counts: steps aside only when no image of the pod is on a node).
 */
class DecisionReuseDetailsTest {
    private final SchedulingAlgorithm prod = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named("prod"), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());

    private static PodRequest withDetails(PodRequest p, List<HostPort> ports, List<String> images) {
        return p.withDetails(new PodDetails(-1, -1, ports, List.of(), images, List.of()));
    }

    @Test
    void aPodWithHostPortsIsNotDecidedFromTheWindowOfOneWithout() {
        // every node but n0 has host port 80 taken; a pod without ports opens a window, one wanting port 80 follows:
        // it differs only in its details, so it must be decided in full and land on n0
        for (long seed = 0; seed < 20; seed++) {
            ClusterSnapshot s = ClusterSnapshot.empty();
            for (int i = 0; i < 40; i++) {
                var n = node("n" + i, 8000, 32).state();
                if (i > 0) {
                    n = n.reserve(withDetails(
                            pod("holder" + i, "prod", 100, 1).build(),
                            List.of(new HostPort("", "TCP", 80)),
                            List.of()));
                }
                s = s.with(n);
            }
            DecisionReuse reuse = new DecisionReuse(prod, DecisionReuse.DEFAULT_MAX_REUSES);
            PodRequest leader = pod("a" + seed, "prod", 500, 1).build();
            PodRequest follower =
                    withDetails(pod("b" + seed, "prod", 500, 1).build(), List.of(new HostPort("", "", 80)), List.of());
            assertThat(DecisionReuse.equivalent(follower, leader)).isFalse();
            assertThat(DecisionReuse.equivalent(pod("c", "prod", 500, 1).build(), leader))
                    .isTrue();
            reuse.schedule(s, leader, seed);
            assertThat(reuse.schedule(s, follower, seed + 1).node()).isEqualTo("n0");
            assertThat(reuse.reusedDecisions()).isZero();
        }
    }

    @Test
    void podsWhoseImagesAreOnANodeAreDecidedInFullOthersKeepTheReuse() {
        ClusterState state = new ClusterState();
        for (int i = 0; i < 200; i++) {
            Node n = node("n" + i, 8000, 32).build();
            state.upsertNode(new Node(
                    n.name(),
                    n.labels(),
                    n.taints(),
                    n.allocatable(),
                    n.realAllocatable(),
                    n.unschedulable(),
                    n.annotations(),
                    i % 7 == 0 ? Map.of("web:1", 400L << 20) : Map.of()));
        }
        DecisionReuse reuse = new DecisionReuse(prod, DecisionReuse.DEFAULT_MAX_REUSES);
        long seed = 1;
        for (String image : List.of("web:1", "absent:1")) {
            long fullBefore = reuse.fullDecisions();
            long reusedBefore = reuse.reusedDecisions();
            for (int k = 0; k < 30; k++) {
                PodRequest p = withDetails(pod(image + k, "prod", 250, 1).build(), List.of(), List.of(image));
                ClusterSnapshot s = state.snapshot();
                int start = reuse.window.start;
                long before = reuse.reusedDecisions();
                ScheduleResult got = reuse.schedule(s, p, ++seed);
                ScheduleResult want = reuse.reusedDecisions() > before
                        ? prod.decide(s, p, seed, start, null, new CycleState())
                        : prod.schedule(s, p, seed);
                assertThat(got.node()).isEqualTo(want.node());
                assertThat(got.score()).isEqualTo(want.score());
                state.assume(p, got.node());
            }
            if (image.equals("web:1")) {
                // on 29 of 200 nodes: ImageLocality scores, spans the cluster → every decision is a full one
                assertThat(reuse.reusedDecisions()).isEqualTo(reusedBefore);
                assertThat(reuse.fullDecisions() - fullBefore).isEqualTo(30);
            } else {
                // on no node: PreScore SKIP → 2 full decisions (1 + 15 reused, twice) for 30 pods
                assertThat(reuse.reusedDecisions() - reusedBefore).isEqualTo(28);
            }
        }
    }
}
