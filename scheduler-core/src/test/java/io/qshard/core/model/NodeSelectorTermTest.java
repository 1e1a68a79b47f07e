package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.NodeSelectorRequirement.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectorTermTest {
    private static final Map<String, String> LABELS = Map.of("kubernetes.io/hostname", "host-a", "zone", "a");

    private static NodeSelectorRequirement name(Operator op, String value) {
        return new NodeSelectorRequirement(NodeSelectorTerm.NODE_NAME_FIELD, op, List.of(value));
    }

    @Test
    void fieldRequirementsReadTheNameAndLabelRequirementsTheLabels() {
        NodeSelectorTerm t = new NodeSelectorTerm(
                List.of(new NodeSelectorRequirement("zone", Operator.IN, List.of("a"))),
                List.of(name(Operator.IN, "node-a")));
        assertThat(t.matches("node-a", LABELS)).isTrue();
        assertThat(t.matches("host-a", LABELS)).isFalse(); // the hostname label's value is not the name
        assertThat(t.matches("node-a", Map.of("zone", "b"))).isFalse();
    }

    @Test
    void anEmptyTermMatchesNothing() {
        assertThat(new NodeSelectorTerm(List.of(), List.of()).matches("node-a", LABELS))
                .isFalse();
        assertThat(new NodeSelectorTerm(List.of()).matches(LABELS)).isFalse();
    }

    @Test
    void byLabelsAloneTheNameIsEmptyAsInKubeScheduler120sVolumeBinder() {
        // CheckNodeAffinity(pv, node.Labels): no node fields, so In on metadata.name fails and NotIn holds
        assertThat(new NodeSelectorTerm(List.of(), List.of(name(Operator.IN, "node-a"))).matches(LABELS))
                .isFalse();
        assertThat(new NodeSelectorTerm(List.of(), List.of(name(Operator.NOT_IN, "node-a"))).matches(LABELS))
                .isTrue();
        assertThat(new NodeSelectorTerm(List.of(new NodeSelectorRequirement("zone", Operator.EXISTS, List.of())))
                        .matches(LABELS))
                .isTrue();
    }
}
