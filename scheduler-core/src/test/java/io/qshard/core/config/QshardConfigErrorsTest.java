package io.qshard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.qshard.core.plugins.ShippedPlugins;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loader reports every error of a file at once, in file order, and skips only what depends on a wrong value. */
class QshardConfigErrorsTest {
    private final QshardConfigLoader loader = new QshardConfigLoader(ShippedPlugins.registry());

    private record Expected(int line, String field, String problemStart) {}

    @Test
    void everyErrorOfTheFileIsListedWithItsFieldInFileOrder() {
        String yaml = """
                migration:
                  hotThreshold: 90
                  coolThreshold: 0.95
                  maxPerNode: 0
                colour: blue
                pools:
                  targetUtilization: {cpu: 85}
                  staleAfter: 5s
                tiers:
                  - name: prod
                    weights: {TierResourceFit: 2}
                  - name: batch
                    pool: cheap
                    fit: {ignoredResourceGroups: [example.com/gpu]}
                  - name: Gold!
                    shards: 0
                predictions:
                  quantile: 0.3
                scheduling:
                  backoffInitial: 20s
                """;
        List<Expected> expected = List.of(
                new Expected(2, "migration.hotThreshold", "90.0 is out of range (0, 1] (a fraction, not a percentage)"),
                new Expected(4, "migration.maxPerNode", "0 is out of range 1..1000"),
                new Expected(
                        5, "colour", "unknown field (known here: tiers, pools, scheduling, predictions, migration)"),
                new Expected(7, "pools.targetUtilization.cpu", "85.0 is out of range (0, 1] (a fraction, not a"),
                new Expected(8, "pools.staleAfter", "PT5S is shorter than reportInterval PT10S"),
                new Expected(10, "tiers.prod", "tier 'prod' weights.TierResourceFit: not an enabled score plugin"),
                new Expected(13, "tiers[1].pool", "unknown pool 'cheap' (allocatable, mid, batch, free)"),
                new Expected(
                        14,
                        "tiers[1].fit.ignoredResourceGroups[0]",
                        "'example.com/gpu': resource group name can't contain '/'"),
                new Expected(15, "tiers[2].name", "'Gold!' must be lowercase letters, digits and '-'"),
                new Expected(18, "predictions.quantile", "0.3 is out of range [0.5, 0.99]"),
                new Expected(19, "scheduling.backoffMax", "PT10S is shorter than backoffInitial PT20S"));

        ConfigException e = errorsOf(yaml);

        assertThat(e.errors())
                .extracting(ConfigError::field)
                .containsExactlyElementsOf(
                        expected.stream().map(Expected::field).toList());
        for (int i = 0; i < expected.size(); i++) {
            ConfigError error = e.errors().get(i);
            assertThat(error.problem())
                    .as(error.field())
                    .startsWith(expected.get(i).problemStart());
            assertThat(error.line()).as(error.field()).isEqualTo(expected.get(i).line());
        }
        List<String> lines = e.getMessage().lines().toList();
        assertThat(lines.get(0)).isEqualTo("qshard.yaml: 11 errors:");
        assertThat(lines.subList(1, lines.size()))
                .containsExactlyElementsOf(e.errors().stream()
                        .map(err -> "  " + err.field() + ": " + err.problem())
                        .toList());
        assertThat(e.field()).isEqualTo("migration.hotThreshold");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // a check between two values runs only when both are valid
                "pools: {targetUtilization: {cpu: 85}, safetyMargin: {cpu: 0.9}}| pools.targetUtilization.cpu",
                "pools: {reportInterval: 0s, staleAfter: 5s}| pools.reportInterval",
                "scheduling: {backoffInitial: soon, backoffMax: 1s}| scheduling.backoffInitial",
                "migration: {hotThreshold: 90, coolThreshold: 0.95}| migration.hotThreshold",
                "migration: {coolThreshold: 2, targetUtilization: 0.95}| migration.coolThreshold",
                // a new tier's default plugins depend on its pool
                "tiers: [{name: gold, schedulerName: qshard-gold, priority: 1, pool: cheap}]| tiers[0].pool",
                // an entry whose name is wrong or repeated is not checked further
                "tiers: [{name: Gold!, pool: cheap, shards: 0}]| tiers[0].name",
                "tiers: [{pool: cheap}]| tiers[0].name",
                "tiers: [{name: prod}, {name: prod, pool: cheap}]| tiers[1].name",
                // a list with a wrong element is skipped whole, its dependants too
                "tiers: [{name: prod, plugins: [NodeAffinity, 5], weights: {LeastAllocated: 2}}]| tiers[0].plugins[1]",
                // a value that is not a mapping skips everything under it
                "hello| ''",
                "pools: 5| pools",
                "pools: {targetUtilization: 5, safetyMargin: {cpu: 0.95}}| pools.targetUtilization",
                "scheduling: []| scheduling",
                "predictions: off| predictions",
                "migration: 1| migration",
                "tiers: {name: prod}| tiers",
                "tiers: [5, {name: prod, shards: 0}]| tiers[0], tiers[1].shards",
                "tiers: [{name: prod, weights: 5}]| tiers[0].weights",
                "tiers: [{name: prod, topology: 5}]| tiers[0].topology",
                "tiers: [{name: prod, fit: 5}]| tiers[0].fit",
                "tiers: [{name: prod, topology: {defaultConstraints: [5]}}]| tiers[0].topology.defaultConstraints[0]",
                // what does not depend on each other is all reported
                "tiers: [{name: mid, schedulerName: qshard-prod, pool: cheap}]| tiers, tiers[0].pool",
                "tiers: [{name: gold, pool: cheap, shards: 0, plugins: [Nope, LeastAllocated, LeastAllocated]}]"
                        + "| tiers[0].schedulerName, tiers[0].priority, tiers[0].pool, tiers[0].shards,"
                        + " tiers[0].plugins[0], tiers[0].plugins[2]",
                "tiers: [{name: prod, fit: {ignoredResources: [qshard.io/batch-cpu, a/b/c]}}]"
                        + "| tiers[0].fit.ignoredResources[0], tiers[0].fit.ignoredResources[1]",
                "tiers: [{name: prod, topology: {hardPodAffinityWeight: 101, defaultConstraints: [{maxSkew: 0,"
                        + " topologyKey: zone, whenUnsatisfiable: Always}, {maxSkew: 1, topologyKey: zone,"
                        + " whenUnsatisfiable: DoNotSchedule}, {maxSkew: 0, topologyKey: zone,"
                        + " whenUnsatisfiable: DoNotSchedule}]}}]"
                        + "| tiers[0].topology.hardPodAffinityWeight, tiers[0].topology.defaultConstraints[0].maxSkew,"
                        + " tiers[0].topology.defaultConstraints[0].whenUnsatisfiable,"
                        + " tiers[0].topology.defaultConstraints[2].maxSkew,"
                        + " tiers[0].topology.defaultConstraints[2].topologyKey",
                "pools: {colour: 1, shade: 2}| pools.colour, pools.shade",
            })
    void exactlyTheseErrors(String yaml, String fields) {
        List<String> expected = fields.equals("''")
                ? List.of("")
                : Arrays.stream(fields.split(",")).map(String::trim).toList();
        assertThat(errorsOf(yaml).errors()).extracting(ConfigError::field).containsExactlyElementsOf(expected);
    }

    @Test
    void aYamlSyntaxErrorIsOneErrorWithItsLineAndColumn() {
        ConfigException e = errorsOf("tiers:\n  - name: prod\n    pool: [batch\nscheduling: {}\n");
        assertThat(e.errors()).hasSize(1);
        assertThat(e.getMessage())
                .isEqualTo("qshard.yaml: not valid YAML: while parsing a flow sequence, expected ',' or ']', but got"
                        + " : (line 4, column 11)");
    }

    @Test
    void valuesThatUsedToEscapeAsOtherExceptionsAreErrorsOfTheirField() {
        assertThat(errorsOf("scheduling: {backoffMax: 99999999999999999999s}").getMessage())
                .isEqualTo("qshard.yaml: scheduling.backoffMax: duration text '99999999999999999999s' is too long");
        assertThat(errorsOf("scheduling: {backoffMax: 9999999999999999h}").getMessage())
                .isEqualTo("qshard.yaml: scheduling.backoffMax: duration text '9999999999999999h' is too long");
        assertThat(errorsOf("tiers: [{name: prod, weights: {LeastAllocated: }}]")
                        .getMessage())
                .isEqualTo("qshard.yaml: tiers[0].weights.LeastAllocated: expected an integer, found nothing");
    }

    @Test
    void aMissingFieldIsPlacedAtItsEnclosingEntry() {
        ConfigException e = errorsOf("""
                pools: {safetyMargin: {cpu: 2}}
                tiers:
                  - name: gold
                    pool: mid
                """);
        assertThat(e.errors())
                .extracting(ConfigError::field, ConfigError::line, ConfigError::column)
                .containsExactly(
                        tuple("pools.safetyMargin.cpu", 1, 24),
                        tuple("tiers[0].schedulerName", 3, 5),
                        tuple("tiers[0].priority", 3, 5));
    }

    @Test
    void oneErrorReadsAsOneLineAndSeveralNeedAtLeastOne() {
        ConfigException one = new ConfigException("qshard.yaml", "pools.staleAfter", "must be > 0");
        assertThat(one.getMessage()).isEqualTo("qshard.yaml: pools.staleAfter: must be > 0");
        assertThat(one.errors()).containsExactly(new ConfigError("pools.staleAfter", "must be > 0"));
        assertThat(new ConfigException("--tier", "", "unknown tier 'gold'").getMessage())
                .isEqualTo("--tier: unknown tier 'gold'");
        assertThat(catchThrowableOfType(
                        IllegalArgumentException.class, () -> new ConfigException("qshard.yaml", List.of())))
                .hasMessageContaining("at least one error");
    }

    private ConfigException errorsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> loader.parse(yaml, "qshard.yaml"));
    }
}
