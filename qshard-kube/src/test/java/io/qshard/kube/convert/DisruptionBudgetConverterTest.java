package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PodDisruptionBudgets of both API versions as preemption reads them. */
class DisruptionBudgetConverterTest {
    @Test
    void aV1BudgetKeepsItsSelectorAllowedCountAndDisruptedPods() {
        DisruptionBudget b = DisruptionBudgetConverter.of(new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(1))
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("app", "db"))
                        .build())
                .endSpec()
                .withNewStatus()
                .withDisruptionsAllowed(1)
                .withDisruptedPods(Map.of("db-0", "2026-01-01T00:00:00Z"))
                .endStatus()
                .build());
        assertThat(b.namespace()).isEqualTo("shop");
        assertThat(b.name()).isEqualTo("db");
        assertThat(b.disruptionsAllowed()).isEqualTo(1);
        assertThat(b.disruptedPods()).containsExactly("db-0");
        PodRequest db1 = pod("db-1", "shop", Map.of("app", "db"));
        assertThat(b.covers(db1)).isTrue();
        assertThat(b.covers(pod("db-0", "shop", Map.of("app", "db"))))
                .as("already disrupted")
                .isFalse();
    }

    @Test
    void aV1beta1BudgetWithoutStatusAllowsNothingAndAnEmptySelectorCoversNoPod() {
        DisruptionBudget b = DisruptionBudgetConverter.of(
                new io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("all")
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(new LabelSelectorBuilder().build())
                        .endSpec()
                        .build());
        assertThat(b.disruptionsAllowed()).isZero();
        assertThat(b.selector()).isEqualTo(LabelSelector.EVERYTHING);
        assertThat(b.covers(pod("x", "shop", Map.of("app", "db")))).isFalse(); // 1.20: selector.Empty() matches none
    }

    @Test
    void aBadSelectorNamesTheBudget() {
        assertThatThrownBy(() -> DisruptionBudgetConverter.of(new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("bad")
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(new LabelSelectorBuilder()
                                .addNewMatchExpression()
                                .withKey("app")
                                .withOperator("Near")
                                .endMatchExpression()
                                .build())
                        .endSpec()
                        .build()))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("poddisruptionbudget shop/bad spec.selector.matchExpressions[0]");
    }

    private static PodRequest pod(String name, String ns, Map<String, String> labels) {
        return new PodRequest(
                        name,
                        ns,
                        name,
                        "prod",
                        io.qshard.core.model.PoolRule.ALLOCATABLE,
                        new io.qshard.core.model.Resources(100, 0, 1, 0, 0),
                        Map.of(),
                        null,
                        List.of(),
                        0,
                        java.time.Instant.EPOCH,
                        null,
                        null)
                .withTopology(labels, PodAffinity.NONE, List.of());
    }
}
