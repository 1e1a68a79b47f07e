package io.qshard.core.preemption;

import static io.qshard.core.preemption.PreemptionFixtures.HIGH;
import static io.qshard.core.preemption.PreemptionFixtures.LOW;
import static io.qshard.core.preemption.PreemptionFixtures.node500;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 1.20's {@code PodEligibleToPreemptOthers} on its own test's four cases, and two more: node1 holds a terminating
 * low-priority pod (a preemption for the pod under way there).
 */
class EligibilityTest {
    private final PreemptionFixtures f = new PreemptionFixtures();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "nominated; node1 unresolvable in this cycle: may preempt elsewhere, node1, false, UNRESOLVABLE, true",
        "nominated; no status for node1: its victims are still terminating, node1, false, -, false",
        "nominated; node1 merely unschedulable: still waiting for the victims, node1, false, UNSCHEDULABLE, false",
        "not nominated, -, false, -, true",
        "preemptionPolicy Never, -, true, -, false",
        "nominated to a node not in this shard, node9, false, -, true",
    })
    void eligible(String name, String nominated, boolean never, String statusOfNode1, boolean expected) {
        PodRequest terminating = f.pod("p1", LOW, 100, 0).withTerminating(true);
        ClusterSnapshot s = ClusterSnapshot.empty().with(node500("node1", terminating));
        PodRequest pod = f.pod("p", HIGH, 100, 0);
        pod = pod.withDetails(pod.details().withPreemption(never, nominated.equals("-") ? null : nominated));
        Diagnosis d = new Diagnosis().totalNodes(1);
        if (!statusOfNode1.equals("-")) {
            d.add("node1", new Status(Status.Code.valueOf(statusOfNode1), java.util.List.of("r"), "P"));
        }
        assertThat(Preemption.eligible(pod, s, d)).as(name).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aPreFiltersUnresolvableVerdictStandsForTheNominatedNodeToo() {
        // 1.20 gives every node the PreFilter's status: node1 is UNRESOLVABLE, so its terminating pod does not hold
        // the pod back (it then finds no potential node, and its nomination is cleared)
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node500("node1", f.pod("p1", LOW, 100, 0).withTerminating(true)));
        PodRequest pod = f.pod("p", HIGH, 100, 0);
        pod = pod.withDetails(pod.details().withPreemption(false, "node1"));
        Diagnosis d = Diagnosis.preFilterFailed(Status.unresolvable("NodeAffinity", "r"), 1);
        assertThat(Preemption.eligible(pod, s, d)).isTrue();
    }
}
