package io.qshard.core.plugins.nodeaffinity;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.Status;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.NodeSelectorRequirement.Operator;
import io.qshard.core.model.NodeSelectorTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeAffinityTest {
    private final NodeAffinity plugin = new NodeAffinity();
    private final NodeState zoneA =
            node("a", 1000, 1).label("zone", "a").label("disk", "ssd").state();
    private final NodeState zoneB = node("b", 1000, 1).label("zone", "b").state();

    private static NodeSelectorTerm term(String key, Operator op, String... values) {
        return new NodeSelectorTerm(List.of(new NodeSelectorRequirement(key, op, List.of(values))));
    }

    @Test
    void nodeSelectorMustMatchEveryLabel() {
        PodRequest p = pod("p", "prod", 1, 0)
                .selector("zone", "a")
                .selector("disk", "ssd")
                .build();
        assertThat(plugin.filter(null, p, zoneA)).isSameAs(Status.SUCCESS);
        Status s = plugin.filter(null, p, zoneB);
        assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly(NodeAffinity.REASON);
    }

    @Test
    void requiredTermsAreOred() {
        var affinity = new io.qshard.core.model.NodeAffinity(
                List.of(term("zone", Operator.IN, "b"), term("disk", Operator.EXISTS)), List.of());
        PodRequest p = pod("p", "prod", 1, 0).affinity(affinity).build();
        assertThat(plugin.filter(null, p, zoneA).isSuccess()).isTrue(); // second term: disk exists
        assertThat(plugin.filter(null, p, zoneB).isSuccess()).isTrue(); // first term: zone b
        assertThat(plugin.filter(null, p, node("c", 1, 1).state()).isSuccess()).isFalse();
    }

    @Test
    void preferredWeightsAreSummedAndNormalisedByTheBestNode() {
        var affinity = new io.qshard.core.model.NodeAffinity(
                List.of(),
                List.of(
                        new io.qshard.core.model.NodeAffinity.WeightedTerm(30, term("zone", Operator.IN, "a")),
                        new io.qshard.core.model.NodeAffinity.WeightedTerm(10, term("disk", Operator.IN, "ssd")),
                        new io.qshard.core.model.NodeAffinity.WeightedTerm(20, term("zone", Operator.IN, "b"))));
        PodRequest p = pod("p", "prod", 1, 0).affinity(affinity).build();
        long[] s = {plugin.score(null, p, zoneA), plugin.score(null, p, zoneB)};
        assertThat(s).containsExactly(40, 20); // a: 30 + 10; b: 20
        plugin.normalize(null, p, s, 2);
        assertThat(s).containsExactly(100, 50); // 100·40/40, 100·20/40
    }

    /** A node whose hostname label is not its name: matchFields compares the name (kube's node fields). */
    private final NodeState renamed = node("node-a", 1000, 1)
            .label("kubernetes.io/hostname", "host-a.example.com")
            .label("zone", "a")
            .state();

    private static NodeSelectorTerm fieldTerm(Operator op, String values, String zone) {
        List<NodeSelectorRequirement> labels =
                zone == null ? List.of() : List.of(new NodeSelectorRequirement("zone", Operator.IN, List.of(zone)));
        return new NodeSelectorTerm(
                labels,
                List.of(new NodeSelectorRequirement(
                        NodeSelectorTerm.NODE_NAME_FIELD,
                        op,
                        values.isEmpty() ? List.of() : List.of(values.split("\\|")))));
    }

    @ParameterizedTest(name = "metadata.name {0} [{1}] (zone {2}) -> {3}")
    @CsvSource({
        "IN, node-a, , true", // the node's name
        "IN, host-a.example.com, , false", // its hostname label is not its name
        "NOT_IN, node-a, , false",
        "NOT_IN, node-b, , true",
        "NOT_IN, host-a.example.com, , true",
        "IN, node-a|node-b, , false", // 1.20: In/NotIn on a field take exactly one value, else the term fails
        "EXISTS, , , false", // 1.20: not a field selector operator, the term fails
        "IN, node-a, a, true", // with matchExpressions: both hold
        "IN, node-a, b, false", // the label part fails
    })
    void matchFieldsOnMetadataNameCompareTheNodeName(Operator op, String values, String zone, boolean fits) {
        var affinity = new io.qshard.core.model.NodeAffinity(
                List.of(fieldTerm(op, values == null ? "" : values, zone)), List.of());
        PodRequest p = pod("p", "prod", 1, 0).affinity(affinity).build();
        assertThat(plugin.filter(null, p, renamed).isSuccess()).isEqualTo(fits);
    }

    @Test
    void preferredMatchFieldsScoreByTheNodeName() {
        var affinity = new io.qshard.core.model.NodeAffinity(
                List.of(),
                List.of(new io.qshard.core.model.NodeAffinity.WeightedTerm(7, fieldTerm(Operator.IN, "node-a", null))));
        PodRequest p = pod("p", "prod", 1, 0).affinity(affinity).build();
        assertThat(plugin.score(null, p, renamed)).isEqualTo(7);
        NodeState other = node("node-b", 1000, 1)
                .label("kubernetes.io/hostname", "node-a")
                .state();
        assertThat(plugin.score(null, p, other)).isZero(); // a hostname label equal to the value does not count
    }

    @Test
    void aFailedMatchFieldsTermIsReportedWithKubeScheduler120sReason() {
        var affinity =
                new io.qshard.core.model.NodeAffinity(List.of(fieldTerm(Operator.IN, "node-b", null)), List.of());
        Status s = plugin.filter(null, pod("p", "prod", 1, 0).affinity(affinity).build(), renamed);
        assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match Pod's node affinity");
    }
}
