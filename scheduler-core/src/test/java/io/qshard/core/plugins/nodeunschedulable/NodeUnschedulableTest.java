package io.qshard.core.plugins.nodeunschedulable;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.Status;
import io.qshard.core.model.Toleration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeUnschedulableTest {
    private final NodeUnschedulable plugin = new NodeUnschedulable();

    @ParameterizedTest(name = "cordoned={0} tolerates={1} -> {2}")
    @CsvSource({"false, false, true", "true, false, false", "true, true, true"})
    void cordonedNodesTakeOnlyToleratingPods(boolean cordoned, boolean tolerates, boolean passes) {
        var n = node("n", 1000, 1);
        if (cordoned) {
            n.unschedulable();
        }
        var p = pod("p", "prod", 1, 0);
        if (tolerates) {
            p.tolerate(new Toleration(
                    NodeUnschedulable.UNSCHEDULABLE_TAINT.key(), Toleration.Operator.EXISTS, null, null));
        }
        Status s = plugin.filter(null, p.build(), n.state());
        assertThat(s.isSuccess()).isEqualTo(passes);
        if (!passes) {
            assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE);
            assertThat(s.reasons()).containsExactly(NodeUnschedulable.REASON);
        }
    }
}
