package io.qshard.core.plugins.tainttoleration;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Toleration;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaintTolerationTest {
    private final TaintToleration plugin = new TaintToleration();

    @ParameterizedTest(name = "taint {0} {1}, pod tolerates {2} -> {3}")
    @CsvSource({
        "NO_SCHEDULE, true, NO_SCHEDULE, true",
        "NO_SCHEDULE, false, , false",
        "NO_EXECUTE, false, , false",
        "PREFER_NO_SCHEDULE, false, , true", // only scored, never filtered
        "NO_SCHEDULE, true, NO_EXECUTE, false", // tolerates the wrong effect
    })
    void filter(Taint.Effect effect, boolean tolerate, Taint.Effect tolerated, boolean passes) {
        NodeState n = node("n", 1000, 1).taint("dedicated", "gpu", effect).state();
        var b = pod("p", "prod", 100, 0);
        if (tolerate) {
            b.tolerate(new Toleration("dedicated", Toleration.Operator.EQUAL, "gpu", tolerated));
        }
        Status s = plugin.filter(new CycleState(), b.build(), n);
        assertThat(s.isSuccess()).isEqualTo(passes);
        if (!passes) {
            assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE);
            assertThat(s.reasons()).containsExactly("node(s) had taint {dedicated: gpu}, that the pod didn't tolerate");
        }
    }

    @Test
    void fewerUntoleratedPreferNoScheduleTaintsScoreHigher() {
        NodeState two = node("two", 1000, 1)
                .taint("a", "", Taint.Effect.PREFER_NO_SCHEDULE)
                .taint("b", "", Taint.Effect.PREFER_NO_SCHEDULE)
                .state();
        NodeState one = node("one", 1000, 1)
                .taint("a", "", Taint.Effect.PREFER_NO_SCHEDULE)
                .state();
        NodeState none = node("none", 1000, 1).state();
        PodRequest p = pod("p", "prod", 100, 0).build();
        long[] scores = {plugin.score(null, p, two), plugin.score(null, p, one), plugin.score(null, p, none)};
        assertThat(scores).containsExactly(2, 1, 0);
        plugin.normalize(null, p, scores, 3);
        // reverse by max 2: 100 − 100·2/2 = 0, 100 − 100·1/2 = 50, 100 − 0 = 100
        assertThat(scores).containsExactly(0, 50, 100);
    }
}
