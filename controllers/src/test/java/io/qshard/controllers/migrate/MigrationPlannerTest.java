package io.qshard.controllers.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.Node;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.usage.HotNodes;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes of 10 cores, no usage reports but the hot node's (so the others stay on the conservative view: their pools are
 * by requests). Hot node n1 reports 9500m used: excess = 9500 − 0.80 × 10000 = 1500m.
 */
class MigrationPlannerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final QshardConfig CONFIG = QshardConfig.defaults();
    private final ClusterState state = new ClusterState();
    private final Map<String, Usage> podUsage = new HashMap<>();
    private Set<String> hot = Set.of("n1");
    private EvictionLedger ledger;

    @BeforeEach
    void fleet() {
        for (String n : List.of("n1", "n2")) {
            addNode(n);
        }
        ledger = new EvictionLedger(Duration.ofMinutes(5), 2, 100);
    }

    private void addNode(String n) {
        state.upsertNode(Node.of(
                n,
                Map.of(TopologySpreadConstraint.HOSTNAME_KEY, n),
                List.of(),
                new Resources(10_000, 40L << 30, 110, 8_000, 32L << 30),
                false));
    }

    private PodRequest pod(String name, String tierName, long cpu, long usage, String owner, String node) {
        return pod(name, tierName, cpu, usage, owner, node, PodAffinity.NONE);
    }

    /** A pod labelled app={@code owner} with {@code podAffinity}, bound to {@code node}. */
    private PodRequest pod(
            String name, String tierName, long cpu, long usage, String owner, String node, PodAffinity podAffinity) {
        Tier tier = CONFIG.tier(tierName);
        Resources r =
                "prod".equals(tierName) ? new Resources(cpu, 1L << 30, 1, 0, 0) : new Resources(0, 0, 1, cpu, 1L << 30);
        PodRequest p = new PodRequest(
                "uid-" + name,
                "ns",
                name,
                tierName,
                tier.poolRule(),
                r,
                Map.of(),
                null,
                List.of(),
                tier.priority(),
                NOW.minusSeconds(3600),
                owner == null ? null : new OwnerRef("ReplicaSet", owner, "rs-" + owner),
                node);
        if (!podAffinity.isEmpty()) {
            p = p.withTopology(Map.of("app", owner), podAffinity, List.of());
        }
        state.upsertPod(p);
        podUsage.put(p.uid(), new Usage(usage, 1L << 30));
        return p;
    }

    private MigrationPlan plan() {
        ClusterSnapshot nodes = state.snapshot();
        for (int i = 0; i < nodes.size(); i++) {
            String n = nodes.node(i).name(); // as the usage view publishes the rule into the snapshot
            state.setHeat(n, hot.contains(n), 0);
        }
        PluginContext ctx = new PluginContext(CONFIG.pools(), Clock.systemUTC());
        Map<String, SchedulingAlgorithm> algorithms = new HashMap<>();
        for (Tier t : CONFIG.tiers()) {
            algorithms.put(
                    t.name(),
                    new SchedulingAlgorithm(Profile.build(t, ShippedPlugins.registry(), ctx), CONFIG.nodesToScore()));
        }
        MigrationPlanner.Facts facts = new MigrationPlanner.Facts() {
            @Override
            public HotNodes.State state(String node) {
                return hot.contains(node) ? HotNodes.State.HOT : HotNodes.State.NORMAL;
            }

            @Override
            public UsageReport report(String node) {
                return "n1".equals(node)
                        ? new UsageReport(
                                "n1", NOW, Duration.ofSeconds(10), new Usage(9_500, 20L << 30), Map.of(), podUsage)
                        : null;
            }

            @Override
            public Usage peak(String node) {
                return null;
            }
        };
        return new MigrationPlanner(MigrationConfig.defaults(), algorithms::get)
                .plan(state.snapshot(), facts, ledger, uid -> false, NOW);
    }

    @Test
    void lowestTierFirstAndRightSized() {
        pod("prod-1", "prod", 4_000, 4_000, "web", "n1");
        pod("batch-1", "batch", 2_000, 1_900, "etl", "n1");
        pod("free-1", "free", 1_000, 800, "crawl", "n1");
        pod("free-2", "free", 2_000, 1_700, "crawl2", "n1");
        pod("free-3", "free", 3_000, 2_800, "crawl3", "n1");
        // excess 1500: free first; the smallest free pod covering 1500 is free-2 (1700) — not free-3 (2800), not batch
        MigrationPlan p = plan();
        assertThat(p.moves()).extracting(m -> m.pod().name()).containsExactly("free-2");
        assertThat(p.moves().get(0).target()).isEqualTo("n2");
        assertThat(p.moves().get(0).reason()).isEqualTo("node usage 95 % > 90 % for 3 reports");
    }

    @Test
    void whenNoSinglePodCoversItTheLargestGoesAndTheNextTierFollows() {
        pod("free-1", "free", 1_000, 600, "crawl", "n1");
        pod("batch-1", "batch", 2_000, 1_000, "etl", "n1");
        pod("batch-2", "batch", 2_000, 1_200, "etl2", "n1");
        // excess 1500: free-1 (600) is all the free tier has → 900 left: batch-1 (1000) covers it
        assertThat(plan().moves()).extracting(m -> m.pod().name()).containsExactly("free-1", "batch-1");
    }

    @Test
    void prodPodsOfNoTierDaemonSetsAndOwnerlessPodsNeverLeave() {
        pod("prod-1", "prod", 9_000, 9_500, "web", "n1");
        pod("bare", "batch", 500, 400, null, "n1");
        MigrationPlan p = plan();
        assertThat(p.moves()).isEmpty();
        assertThat(p.skips())
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("no pod may leave it"));
    }

    @Test
    void aClusterWithNowhereToGoEvictsNothing() {
        hot = Set.of("n1", "n2"); // the only other node is hot too: the schedulers' filter keeps pods off it
        pod("free-1", "free", 2_000, 1_700, "crawl", "n1");
        MigrationPlan p = plan();
        assertThat(p.moves()).isEmpty();
        assertThat(p.skips())
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("fits on another node"));
    }

    @Test
    void coolingNodesAndCappedWorkloadsAreLeftAlone() {
        pod("free-1", "free", 2_000, 1_700, "crawl", "n1");
        ledger.evicted("n1", "rs-other", "uid-gone", NOW.minusSeconds(60));
        assertThat(plan().moves()).as("n1 evicted a minute ago; cooldown 5 min").isEmpty();
        ledger = new EvictionLedger(Duration.ofMinutes(5), 2, 100);
        ledger.evicted("n9", "rs-crawl", "uid-a", NOW.minusSeconds(60));
        ledger.evicted("n9", "rs-crawl", "uid-b", NOW.minusSeconds(30));
        assertThat(plan().moves())
                .as("its workload lost 2 pods within the cooldown")
                .isEmpty();
    }

    @Test
    void victimsPlannedTogetherNeverCountOnTheSameRoom() {
        // n2's batch pool by requests (conservative view): 0.85 × 10000 − 0.05 × 10000 = 8000 − requests there
        pod("filler", "batch", 6_000, 0, "big", "n2");
        pod("free-1", "free", 1_500, 1_000, "a", "n1");
        pod("free-2", "free", 1_500, 1_000, "b", "n1");
        // excess 1500 needs both; n2 has room for one (8000 − 6000 = 2000 < 3000): one move, the other fits nowhere
        MigrationPlan p = plan();
        assertThat(p.moves()).hasSize(1);
    }

    /** web-1 and web-2 on hot n1, free tier, 1000m used each: one Deployment of at most one replica per node. */
    private void onePerNodeReplicasOnN1() {
        PodAffinityTerm apart = new PodAffinityTerm(
                LabelSelector.of(Map.of("app", "web"), List.of()),
                Set.of("ns"),
                null,
                TopologySpreadConstraint.HOSTNAME_KEY);
        PodAffinity onePerNode = new PodAffinity(List.of(), List.of(), List.of(apart), List.of());
        pod("web-1", "free", 1_500, 1_000, "web", "n1", onePerNode);
        pod("web-2", "free", 1_500, 1_000, "web", "n1", onePerNode);
    }

    @Test
    void plannedMovesAreCountedInTheTopologySoOnePerNodeReplicasStayApart() {
        addNode("n3");
        pod("filler", "batch", 4_000, 0, "big", "n3"); // n3 more allocated: least-allocated scoring prefers n2
        onePerNodeReplicasOnN1();
        // excess 1500 needs both; n2 is preferred by resources, but once one is planned there, the other's required
        // anti-affinity (and the first one's, symmetrically) keeps it off n2: it goes to n3
        MigrationPlan p = plan();
        assertThat(p.moves()).extracting(m -> m.pod().name()).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(p.moves()).extracting(MigrationPlan.Move::target).containsExactlyInAnyOrder("n2", "n3");
    }

    @Test
    void aOnePerNodeReplicaWithNoFreeNodeLeftIsNotPlanned() {
        onePerNodeReplicasOnN1();
        // n2 has room for both, but only one of them may run there
        MigrationPlan p = plan();
        assertThat(p.moves())
                .singleElement()
                .satisfies(m -> assertThat(m.target()).isEqualTo("n2"));
    }
}
