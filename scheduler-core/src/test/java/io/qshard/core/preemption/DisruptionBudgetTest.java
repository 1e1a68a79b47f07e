package io.qshard.core.preemption;

import static io.qshard.core.preemption.PreemptionFixtures.LOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which pods a budget covers, as 1.20's {@code filterPodsWithPDBViolation} decides it. */
class DisruptionBudgetTest {
    private final PreemptionFixtures f = new PreemptionFixtures();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "matching labels, ns, app=foo, app=foo, -, true",
        "other namespace, other, app=foo, app=foo, -, false",
        "pod without labels, ns, app=foo, -, -, false",
        "selector does not match, ns, app=foo, app=bar, -, false",
        "empty selector covers nothing, ns, {}, app=foo, -, false",
        "absent selector covers nothing, ns, null, app=foo, -, false",
        "already disrupted, ns, app=foo, app=foo, p1, false",
    })
    void covers(String name, String namespace, String selector, String podLabels, String disrupted, boolean covers) {
        LabelSelector s = switch (selector) {
            case "{}" -> LabelSelector.EVERYTHING;
            case "null" -> null;
            default -> LabelSelector.of(labels(selector), List.of());
        };
        DisruptionBudget pdb =
                new DisruptionBudget(namespace, "pdb", s, 1, disrupted.equals("-") ? Set.of() : Set.of(disrupted));
        PodRequest pod = f.pod("p1", LOW, 100, 0)
                .withTopology(podLabels.equals("-") ? Map.of() : labels(podLabels), PodAffinity.NONE, List.of());
        assertThat(pdb.covers(pod)).as(name).isEqualTo(covers);
    }

    private static Map<String, String> labels(String kv) {
        String[] p = kv.split("=");
        return Map.of(p[0], p[1]);
    }
}
