package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeSelectorRequirementTest {
    private static final Map<String, String> LABELS = Map.of("zone", "a", "cores", "16");

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "zone, IN, a|b, true",
        "zone, IN, b|c, false",
        "zone, NOT_IN, b, true",
        "zone, NOT_IN, a, false",
        "missing, NOT_IN, a, true", // absent label is not in any set
        "zone, EXISTS, , true",
        "missing, EXISTS, , false",
        "missing, DOES_NOT_EXIST, , true",
        "cores, GT, 8, true", // 16 > 8
        "cores, GT, 16, false",
        "cores, LT, 32, true",
        "zone, GT, 1, false", // 'a' is not a number: neither Gt nor Lt
    })
    void operators(String key, NodeSelectorRequirement.Operator op, String values, boolean expected) {
        List<String> v = values == null ? List.of() : List.of(values.split("\\|"));
        assertThat(new NodeSelectorRequirement(key, op, v).matches(LABELS)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "field {0} {1} vs {2} -> {3}")
    @CsvSource({
        "IN, n1, n1, true",
        "IN, n1, n2, false",
        "NOT_IN, n1, n2, true",
        "NOT_IN, n1, n1, false",
        "IN, n1|n2, n1, false", // a field requirement takes exactly one value
        "NOT_IN, , n1, false", // no value at all
        "EXISTS, , n1, false", // only In and NotIn are field selector operators
        "GT, 1, 2, false",
    })
    void fieldOperators(NodeSelectorRequirement.Operator op, String values, String name, boolean expected) {
        List<String> v = values == null ? List.of() : List.of(values.split("\\|"));
        assertThat(new NodeSelectorRequirement("metadata.name", op, v).matchesField(name))
                .isEqualTo(expected);
    }
}
