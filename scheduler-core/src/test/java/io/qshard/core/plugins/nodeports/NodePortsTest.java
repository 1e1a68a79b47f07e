package io.qshard.core.plugins.nodeports;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.HostPort;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ports are written {@code ip/protocol/port}, {@code -} for an empty field (empty ip = 0.0.0.0, empty protocol = TCP),
 * several separated by spaces. kube-scheduler 1.20's rule: a wanted port conflicts with a held one of equal protocol
 * and port when either IP is 0.0.0.0 or both are equal.
 */
class NodePortsTest {
    private final NodePorts plugin = new NodePorts();

    @ParameterizedTest(name = "node holds [{0}], pod wants [{1}] -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "0.0.0.0/TCP/80;  0.0.0.0/TCP/80;   conflict", // same everything
                "0.0.0.0/TCP/80;  0.0.0.0/UDP/80;   free", // other protocol
                "0.0.0.0/TCP/80;  0.0.0.0/TCP/8080; free", // other port
                "0.0.0.0/TCP/80;  10.0.0.1/TCP/80;  conflict", // the node's wildcard covers every IP
                "10.0.0.1/TCP/80; 10.0.0.2/TCP/80;  free", // other IP
                "10.0.0.1/TCP/80; 10.0.0.1/TCP/80;  conflict", // same IP
                "10.0.0.1/TCP/80; 0.0.0.0/TCP/80;   conflict", // the pod's wildcard covers the held IP
                "10.0.0.1/TCP/80; 10.0.0.1/UDP/80;  free",
                "10.0.0.1/TCP/80; -/-/80;           conflict", // empty = 0.0.0.0/TCP
                "-/UDP/53;        10.0.0.9/UDP/53;  conflict",
                "-/SCTP/9;        -/-/9;            free", // SCTP vs TCP
                "10.0.0.1/TCP/80 0.0.0.0/UDP/53; 10.0.0.2/TCP/80 10.0.0.2/UDP/53; conflict", // one of two
                "10.0.0.1/TCP/80 10.0.0.1/UDP/53; 10.0.0.2/TCP/80 10.0.0.2/UDP/53; free",
                "; 0.0.0.0/TCP/80; free", // a node without host ports
            })
    void hostPortConflicts(String held, String wanted, String verdict) {
        NodeState n = node("n", 8000, 32).state();
        if (held != null) {
            n = n.reserve(withPorts(pod("holder", "prod", 100, 1).build(), held));
        }
        PodRequest p = withPorts(pod("p", "prod", 100, 1).build(), wanted);
        assertThat(plugin.preFilter(new CycleState(), p, ClusterSnapshot.empty()))
                .isSameAs(Status.SUCCESS);
        Status s = plugin.filter(new CycleState(), p, n);
        if (verdict.equals("free")) {
            assertThat(s).isSameAs(Status.SUCCESS);
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons()).containsExactly("node(s) didn't have free ports for the requested pod ports");
            assertThat(s.plugin()).isEqualTo(NodePorts.NAME);
        }
    }

    @Test
    void aPodWithoutHostPortsSkipsTheFilter() {
        assertThat(plugin.preFilter(new CycleState(), pod("p", "prod", 100, 1).build(), ClusterSnapshot.empty()))
                .isSameAs(Status.SKIP);
        assertThat(plugin.nodeLocal()).isTrue();
    }

    @Test
    void aPortFreedByItsPodIsFreeAgain() {
        NodeState n = node("n", 8000, 32)
                .state()
                .reserve(withPorts(pod("h", "prod", 100, 1).build(), "-/TCP/80"));
        PodRequest p = withPorts(pod("p", "prod", 100, 1).build(), "-/TCP/80");
        assertThat(plugin.filter(new CycleState(), p, n).isSuccess()).isFalse();
        assertThat(plugin.filter(new CycleState(), p, n.unreserve("h"))).isSameAs(Status.SUCCESS);
    }

    private static PodRequest withPorts(PodRequest p, String ports) {
        List<HostPort> list = new ArrayList<>();
        for (String port : ports.trim().split("\\s+")) {
            String[] f = port.split("/");
            list.add(new HostPort(f[0].equals("-") ? "" : f[0], f[1].equals("-") ? "" : f[1], Integer.parseInt(f[2])));
        }
        return p.withDetails(new PodDetails(-1, -1, list, List.of(), List.of(), List.of()));
    }
}
