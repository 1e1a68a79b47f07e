package io.qshard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QshardConfigLoaderTest {
    private final QshardConfigLoader loader = new QshardConfigLoader(ShippedPlugins.registry());

    @Test
    void theShippedExampleEqualsTheBuiltInDefaults() {
        QshardConfig fromFile = loader.load(Path.of("../manifests/qshard.yaml"));
        assertThat(fromFile).isEqualTo(QshardConfig.defaults());
    }

    @Test
    void anEmptyFileIsTheDefaults() {
        assertThat(loader.parse("", "qshard.yaml")).isEqualTo(QshardConfig.defaults());
    }

    @Test
    void listedTiersMergeOverTheDefaultsAndNewTiersAreAdded() {
        QshardConfig c = loader.parse("""
                tiers:
                  - name: prod
                    weights: {LeastAllocated: 5}
                    shards: 3
                  - name: gold
                    schedulerName: qshard-gold
                    priority: 8000
                    pool: mid
                scheduling:
                  backoffMax: 30s
                  equivalentPodReuse: 0
                """, "qshard.yaml");
        Tier prod = c.tier("prod");
        assertThat(prod.schedulerName()).isEqualTo("qshard-prod");
        assertThat(prod.weightOf("LeastAllocated")).isEqualTo(5);
        assertThat(prod.shards()).isEqualTo(3);
        Tier gold = c.tier("gold");
        assertThat(gold.poolRule()).isEqualTo(PoolRule.MID_POOL);
        assertThat(gold.plugins()).isEqualTo(DefaultTiers.pluginsFor(PoolRule.MID_POOL));
        assertThat(c.tiers()).extracting(Tier::name).containsExactly("prod", "gold", "mid", "batch", "free");
        assertThat(c.backoff().max()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.equivalentPodReuse()).isZero();
        assertThat(QshardConfig.defaults().equivalentPodReuse()).isEqualTo(15);
        assertThat(c.tierForSchedulerName("qshard-gold")).contains(gold);
        assertThat(c.tierForSchedulerName("default-scheduler")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "tiers: [{name: prod, weights: {LeastAllocated: 150}}]"
                        + "| tiers[0].weights.LeastAllocated: 150 is out of range 1..100",
                "tiers: [{name: prod, wieghts: {LeastAllocated: 2}}]" + "| tiers[0].wieghts: unknown field",
                "tiers: [{name: mid, schedulerName: qshard-prod}]"
                        + "| schedulerName 'qshard-prod' is used by tiers 'prod' and 'mid'",
                "tiers: [{name: gold, priority: 1, pool: mid}]"
                        + "| tiers[0].schedulerName: required for the new tier 'gold'",
                "tiers: [{name: prod, pool: cheap}]" + "| tiers[0].pool: unknown pool 'cheap'",
                "tiers: [{name: prod, plugins: [NodeAffinity, Nope]}]" + "| tiers[0].plugins[1]: unknown plugin 'Nope'",
                "tiers: [{name: prod, plugins: [NodeAffinity], weights: {LeastAllocated: 2}}]"
                        + "| tiers[0].weights.LeastAllocated: plugin 'LeastAllocated' is not enabled",
                "tiers: [{name: prod, weights: {TierResourceFit: 2}}]"
                        + "| weights.TierResourceFit: not an enabled score plugin",
                "tiers: [{name: prod}, {name: prod}]" + "| tiers[1].name: tier 'prod' is listed twice",
                "tiers: [{name: Prod!}]" + "| tiers[0].name: 'Prod!' must be lowercase",
                "tiers: [{name: prod, shards: 0}]" + "| tiers[0].shards: 0 is out of range 1..64",
                "pools: {safetyMargin: {cpu: -0.1}}" + "| pools.safetyMargin.cpu: -0.1 is out of range [0, 1)",
                "pools: {targetUtilization: {cpu: 85}}"
                        + "| pools.targetUtilization.cpu: 85.0 is out of range (0, 1] (a fraction, not a percentage)",
                "pools: {safetyMargin: {memory: 0.95}}"
                        + "| pools.safetyMargin: must be smaller than targetUtilization",
                "pools: {staleAfter: 5s}" + "| pools.staleAfter: PT5S is shorter than reportInterval PT10S",
                "pools: {reportInterval: ten}"
                        + "| pools.reportInterval: expected a duration like 500ms, 10s, 5m or 1h",
                "scheduling: {percentageOfNodesToScore: 120}"
                        + "| scheduling.percentageOfNodesToScore: 120 is out of range 0..100",
                "scheduling: {equivalentPodReuse: -1}" + "| scheduling.equivalentPodReuse: -1 is out of range 0..1000",
                "scheduling: {backoffInitial: 20s}"
                        + "| scheduling.backoffMax: PT10S is shorter than backoffInitial PT20S",
                "tiers: {name: prod}" + "| tiers: expected a list",
                "tiers: [{name: prod, priority: high}]" + "| tiers[0].priority: expected an integer, found text 'high'",
                "colour: blue" + "| colour: unknown field",
                "tiers: [ {name: prod" + "| not valid YAML",
                "predictions: {enabled: yes please}" + "| predictions.enabled: expected true or false",
                "predictions: {horizon: 10s}" + "| predictions.horizon: 0m is out of range 1m..24h",
                "predictions: {quantile: 0.3}" + "| predictions.quantile: 0.3 is out of range [0.5, 0.99]",
                "predictions: {hotspotThreshold: 0.8}"
                        + "| predictions.hotspotThreshold: 0.8 is out of range [1, 100] (percent of allocatable, not a fraction)",
                "predictions: {hotspotThreshold: 180}"
                        + "| predictions.hotspotThreshold: 180.0 is out of range [1, 100] (percent of allocatable)",
                "predictions: {horizn: 5m}" + "| predictions.horizn: unknown field",
                "migration: {hotThreshold: 90}"
                        + "| migration.hotThreshold: 90.0 is out of range (0, 1] (a fraction, not a percentage)",
                "migration: {coolThreshold: 0.95}" + "| migration.coolThreshold: 0.95 is above hotThreshold 0.9",
                "migration: {targetUtilization: 0.88}"
                        + "| migration.targetUtilization: 0.88 is above coolThreshold 0.85",
                "migration: {hotReports: 0}" + "| migration.hotReports: 0 is out of range 1..100",
                "migration: {cooldown: soon}" + "| migration.cooldown: expected a duration",
                "migration: {maxPerNode: 0}" + "| migration.maxPerNode: 0 is out of range",
                "tiers: [{name: prod, topology: {hardPodAffinityWeight: 101}}]"
                        + "| tiers[0].topology.hardPodAffinityWeight: 101 is out of range 0..100",
                "tiers: [{name: prod, topology: {defaultConstraints: [{maxSkew: 1, topologyKey: zone}]}}]"
                        + "| tiers[0].topology.defaultConstraints[0].whenUnsatisfiable: required",
                "tiers: [{name: prod, topology: {defaultConstraints: [{maxSkew: 0, topologyKey: zone, "
                        + "whenUnsatisfiable: DoNotSchedule}]}}]"
                        + "| tiers[0].topology.defaultConstraints[0].maxSkew: 0 is out of range",
                "tiers: [{name: prod, topology: {defaultConstraints: [{maxSkew: 1, topologyKey: zone, "
                        + "whenUnsatisfiable: Always}]}}]"
                        + "| tiers[0].topology.defaultConstraints[0].whenUnsatisfiable: must be ScheduleAnyway or",
                "tiers: [{name: prod, topology: {defaultConstraints: [{maxSkew: 1, topologyKey: zone, "
                        + "whenUnsatisfiable: DoNotSchedule}, {maxSkew: 2, topologyKey: zone, "
                        + "whenUnsatisfiable: DoNotSchedule}]}}]"
                        + "| tiers[0].topology.defaultConstraints[1].topologyKey: duplicate constraint",
                "tiers: [{name: prod, topology: {defaultConstraint: []}}]"
                        + "| tiers[0].topology.defaultConstraint: unknown field",
                "tiers: [{name: prod}, {name: mid}, {name: batch, fit: {ignoredResourceGroups: [example.com/gpu]}}]"
                        + "| tiers[2].fit.ignoredResourceGroups[0]: 'example.com/gpu': resource group name can't"
                        + " contain '/'",
                "tiers: [{name: prod, fit: {ignoredResources: [qshard.io/batch-cpu]}}]"
                        + "| tiers[0].fit.ignoredResources[0]: 'qshard.io/batch-cpu' is qshard's batch pool accounting",
                "tiers: [{name: prod, fit: {ignoredResources: [a/b/c]}}]"
                        + "| tiers[0].fit.ignoredResources[0]: 'a/b/c': a qualified name must consist of",
                "tiers: [{name: prod, fit: {ignoredResources: [Example.com/foo]}}]"
                        + "| tiers[0].fit.ignoredResources[0]: 'Example.com/foo': prefix part a lowercase RFC 1123",
                "tiers: [{name: prod, fit: {ignoredResources: [example.com/-foo]}}]"
                        + "| tiers[0].fit.ignoredResources[0]: 'example.com/-foo': name part must consist of",
                "tiers: [{name: prod, fit: {ignoredResourceGroups: [example.]}}]"
                        + "| tiers[0].fit.ignoredResourceGroups[0]: 'example.': name part must consist of",
                "tiers: [{name: prod, fit: {ignoredResources: example.com/foo}}]"
                        + "| tiers[0].fit.ignoredResources: expected a list",
                "tiers: [{name: prod, fit: {ignoredResorces: []}}]" + "| tiers[0].fit.ignoredResorces: unknown field",
            })
    void invalidConfigNamesTheField(String yaml, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(yaml, "qshard.yaml"));
        assertThat(e).hasMessageStartingWith("qshard.yaml: ").hasMessageContaining(expected.trim());
        // one error, nothing that follows from it, and its message reads as it always did
        assertThat(e.errors()).hasSize(1);
        assertThat(e.getMessage()).isEqualTo("qshard.yaml: " + e.errors().get(0));
    }

    @Test
    void topologyArgumentsPerTierWithKubeSchedulersDefaults() {
        QshardConfig c = loader.parse("""
                tiers:
                  - name: prod
                    topology:
                      hardPodAffinityWeight: 5
                      defaultConstraints: [{maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]
                  - name: mid
                    topology: {defaultConstraints: []}
                  - name: gold
                    schedulerName: qshard-gold
                    priority: 9500
                    pool: allocatable
                    plugins: [TierResourceFit, PodTopologySpread, InterPodAffinity, LeastAllocated]
                """, "qshard.yaml");
        assertThat(c.tier("prod").topology())
                .isEqualTo(new io.qshard.core.model.TopologyArgs(
                        5,
                        java.util.List.of(io.qshard.core.model.TopologySpreadConstraint.of(
                                2, "zone", true, io.qshard.core.model.LabelSelector.NOTHING))));
        assertThat(c.tier("mid").topology().defaultConstraints()).isEmpty();
        assertThat(c.tier("batch").topology()).isEqualTo(io.qshard.core.model.TopologyArgs.DEFAULTS);
        // a new tier naming the topology plugins gets kube-scheduler's weights (2 and 1), not 1 for both
        assertThat(c.tier("gold").weightOf("PodTopologySpread")).isEqualTo(2);
        assertThat(c.tier("gold").weightOf("InterPodAffinity")).isEqualTo(1);
        assertThat(c.tier("gold").topology()).isEqualTo(io.qshard.core.model.TopologyArgs.DEFAULTS);
    }

    @Test
    void fitArgumentsPerTierReachTheFilter() {
        QshardConfig c = loader.parse("""
                tiers:
                  - name: prod
                    fit: {ignoredResources: [example.com/foo], ignoredResourceGroups: [vendor.io]}
                  - name: mid
                    fit: {ignoredResourceGroups: [vendor.io]}
                """, "qshard.yaml");
        assertThat(c.tier("prod").fit())
                .isEqualTo(new io.qshard.core.model.FitArgs(
                        java.util.List.of("example.com/foo"), java.util.List.of("vendor.io")));
        assertThat(c.tier("mid").fit().ignoredResources()).isEmpty();
        assertThat(c.tier("batch").fit()).isEqualTo(io.qshard.core.model.FitArgs.DEFAULTS);
        assertThat(c.withShards("prod", 4).tier("prod").fit())
                .isEqualTo(c.tier("prod").fit());
        assertThat(c.withShards("prod", 4).tier("prod").shards()).isEqualTo(4);

        // the built profile's TierResourceFit skips example.com/foo in prod, checks it in mid
        io.qshard.core.model.Node n =
                io.qshard.core.testing.Fixtures.node("n", 8000, 32).build();
        io.qshard.core.snapshot.NodeState node = io.qshard.core.snapshot.NodeState.of(n);
        for (String tier : java.util.List.of("prod", "mid")) {
            var filters = io.qshard.core.framework.Profile.build(
                            c.tier(tier), ShippedPlugins.registry(), io.qshard.core.framework.PluginContext.defaults())
                    .filters();
            var fit = filters.stream()
                    .filter(f -> f.name().equals("TierResourceFit"))
                    .findFirst()
                    .orElseThrow();
            io.qshard.core.model.PodRequest p =
                    io.qshard.core.testing.Fixtures.pod("p", tier, 100, 1).build();
            io.qshard.core.model.PodRequest wantsFoo = new io.qshard.core.model.PodRequest(
                    p.uid(),
                    p.namespace(),
                    p.name(),
                    p.tier(),
                    p.poolRule(),
                    p.requests().withScalars(io.qshard.core.model.ScalarResources.of("example.com/foo", 1)),
                    p.nodeSelector(),
                    p.affinity(),
                    p.tolerations(),
                    p.priority(),
                    p.creationTime(),
                    p.owner(),
                    p.nodeName(),
                    p.labels(),
                    p.podAffinity(),
                    p.spread(),
                    p.terminating(),
                    p.details(),
                    p.startMillis());
            assertThat(fit.filter(new io.qshard.core.framework.CycleState(), wantsFoo, node)
                            .reasons())
                    .isEqualTo(
                            tier.equals("prod")
                                    ? java.util.List.of()
                                    : java.util.List.of("Insufficient example.com/foo"));
        }
    }

    @Test
    void predictionsCanBeSwitchedOffAndTuned() {
        QshardConfig c = loader.parse(
                "predictions: {enabled: false, horizon: 2h, quantile: 0.9, hotspotThreshold: 85}", "qshard.yaml");
        assertThat(c.predictions()).isEqualTo(new PredictionConfig(false, Duration.ofHours(2), 0.9, 85));
        assertThat(loader.parse("predictions: {quantile: 0.95}", "qshard.yaml").predictions())
                .isEqualTo(new PredictionConfig(
                        true, PredictionConfig.DEFAULT_HORIZON, 0.95, PredictionConfig.DEFAULT_HOTSPOT_THRESHOLD));
    }

    @Test
    void unknownTierIsNamedWithTheConfiguredOnes() {
        assertThatThrownBy(() -> QshardConfig.defaults().tier("gold"))
                .hasMessageContaining("unknown tier 'gold' (configured: prod, mid, batch, free)");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/qshard.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/qshard.yaml: cannot read");
    }
}
