package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Controllers' selectors as kube-scheduler's {@code LabelSelectorAsSelector} reads them. */
class WorkloadConverterTest {
    private static final String WHAT = "replicaset ns/web spec.selector";

    @Test
    void absentSelectsNothingAndEmptySelectsEverything() {
        assertThat(WorkloadConverter.selector(null, WHAT)).isEqualTo(LabelSelector.NOTHING);
        assertThat(WorkloadConverter.selector(new LabelSelectorBuilder().build(), WHAT))
                .isEqualTo(LabelSelector.EVERYTHING);
        assertThat(WorkloadConverter.selector((Map<String, String>) null)).isEqualTo(LabelSelector.NOTHING);
        assertThat(WorkloadConverter.selector(Map.of())).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void matchLabelsAndExpressionsAreKept() {
        LabelSelector s = WorkloadConverter.selector(
                new LabelSelectorBuilder()
                        .addToMatchLabels("app", "web")
                        .addNewMatchExpression()
                        .withKey("track")
                        .withOperator("NotIn")
                        .withValues("canary")
                        .endMatchExpression()
                        .addNewMatchExpression()
                        .withKey("env")
                        .withOperator("Exists")
                        .endMatchExpression()
                        .build(),
                WHAT);
        assertThat(s)
                .isEqualTo(LabelSelector.of(
                        Map.of("app", "web"),
                        List.of(
                                new NodeSelectorRequirement(
                                        "track", NodeSelectorRequirement.Operator.NOT_IN, List.of("canary")),
                                new NodeSelectorRequirement(
                                        "env", NodeSelectorRequirement.Operator.EXISTS, List.of()))));
        assertThat(s.matches(Map.of("app", "web", "env", "prod"))).isTrue();
        assertThat(s.matches(Map.of("app", "web", "env", "prod", "track", "canary")))
                .isFalse();
        assertThat(WorkloadConverter.selector(Map.of("app", "legacy")))
                .isEqualTo(LabelSelector.of(Map.of("app", "legacy"), List.of()));
    }

    @Test
    void anOperatorLabelSelectorsDoNotHaveIsAnErrorNamingTheObjectAndField() {
        assertThatThrownBy(() -> WorkloadConverter.selector(
                        new LabelSelectorBuilder()
                                .addNewMatchExpression()
                                .withKey("cores")
                                .withOperator("Gt")
                                .withValues("4")
                                .endMatchExpression()
                                .build(),
                        WHAT))
                .isInstanceOf(ConversionException.class)
                .hasMessage("replicaset ns/web spec.selector.matchExpressions[0]: operator: unknown 'Gt' (In, NotIn, "
                        + "Exists, DoesNotExist)");
        assertThatThrownBy(() -> WorkloadConverter.selector(
                        new LabelSelectorBuilder()
                                .addNewMatchExpression()
                                .withKey("app")
                                .withOperator("Exists")
                                .withValues("x")
                                .endMatchExpression()
                                .build(),
                        WHAT))
                .hasMessageContaining("operator Exists takes no values");
    }
}
