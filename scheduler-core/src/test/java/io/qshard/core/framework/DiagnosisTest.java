package io.qshard.core.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiagnosisTest {
    /** kube-scheduler 1.20 sorts the "count reason" strings: "10 …" before "2 …", "1 node(s)" before "1 node(s) x". */
    @Test
    void reasonsSortAsKubeSchedulersStrings() {
        Diagnosis d = new Diagnosis();
        d.add("a", Status.unschedulable("Fit", "Insufficient memory"));
        d.add("b", Status.unschedulable("Fit", "Insufficient cpu"));
        d.add("c", Status.unschedulable("Fit", "Insufficient cpu"));
        d.add("d", Status.unresolvable("Aff", "node(s) didn't match Pod's node affinity/selector"));
        assertThat(d.totalNodes(5).message())
                .isEqualTo("0/5 nodes are available: 1 Insufficient memory, "
                        + "1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.");
        Diagnosis many = new Diagnosis();
        for (int i = 0; i < 10; i++) {
            many.add("n" + i, Status.unschedulable("Fit", "Insufficient cpu"));
        }
        many.add("x", Status.unschedulable("Fit", "Insufficient memory"));
        many.add("y", Status.unschedulable("Fit", "Insufficient memory"));
        assertThat(many.totalNodes(12).message())
                .isEqualTo("0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.");
        assertThat(d.unresolvable()).isFalse();
    }

    @Test
    void onlyUnresolvableFailuresMakeTheDiagnosisUnresolvable() {
        Diagnosis d = new Diagnosis();
        d.add("a", Status.unresolvable("Taint", "t"));
        assertThat(d.unresolvable()).isTrue();
        assertThat(Diagnosis.preFilterFailed(Status.unresolvable("X", "pod has no containers"), 3)
                        .message())
                .isEqualTo("0/3 nodes are available: 3 pod has no containers.");
    }
}
