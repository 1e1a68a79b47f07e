package io.qshard.core.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiagnosisTest {
    @Test
    void reasonsSortByCountThenText() {
        Diagnosis d = new Diagnosis();
        d.add("a", Status.unschedulable("Fit", "Insufficient memory"));
        d.add("b", Status.unschedulable("Fit", "Insufficient cpu"));
        d.add("c", Status.unschedulable("Fit", "Insufficient cpu"));
        d.add("d", Status.unresolvable("Aff", "node(s) didn't match Pod's node affinity/selector"));
        assertThat(d.totalNodes(5).message())
                .isEqualTo("0/5 nodes are available: 2 Insufficient cpu, 1 Insufficient memory, "
                        + "1 node(s) didn't match Pod's node affinity/selector.");
        assertThat(d.unresolvable()).isFalse();
    }

    @Test
    void onlyUnresolvableFailuresMakeTheDiagnosisUnresolvable() {
        Diagnosis d = new Diagnosis();
        d.add("a", Status.unresolvable("Taint", "t"));
        assertThat(d.unresolvable()).isTrue();
        assertThat(Diagnosis.preFilterFailed(Status.unresolvable("X", "pod has no containers"), 3)
                        .message())
                .isEqualTo("0/3 nodes are available: pod has no containers.");
    }
}
