package io.qshard.cli.parity2;

import static io.qshard.cli.parity2.PodShape.existing;
import static io.qshard.cli.parity2.PodShape.probe;
import static io.qshard.cli.parity2.ResourceCase.of;
import static io.qshard.cli.parity2.ResourceCases.allBut;
import static io.qshard.cli.parity2.ResourceCases.everyNode;
import static io.qshard.cli.parity2.ResourceCases.on;
import static io.qshard.cli.parity2.ResourceCluster.A;
import static io.qshard.cli.parity2.ResourceCluster.B;

import java.util.List;

/**
 * NodePorts cases: a pod on a (the best node) holds a host port; the probe asks for the same or another port, protocol
 * or host IP. kube-scheduler 1.20 conflicts on the same port and protocol when either host IP is 0.0.0.0 ("" is
 * 0.0.0.0) or both are equal, and counts only the ports of (non-init) containers.
 */
final class PortCases {
    private static final String PORTS = "node(s) didn't have free ports for the requested pod ports";
    private static final int PORT = 8080;

    private PortCases() {}

    static List<ResourceCase> all() {
        return List.of(
                of(
                                "hostport-same",
                                "same host port and protocol",
                                "a holds TCP 8080 on every address: b is next",
                                probe().hostPort("", "TCP", PORT),
                                allBut(A),
                                B,
                                PORTS)
                        .existing(on(A, existing().hostPort("", "TCP", PORT))),
                of(
                                "hostport-other-protocol",
                                "same port, other protocol",
                                "TCP and UDP 8080 do not conflict",
                                probe().hostPort("", "UDP", PORT),
                                everyNode(),
                                A,
                                null)
                        .existing(on(A, existing().hostPort("", "TCP", PORT))),
                of(
                                "hostport-other-port",
                                "another port",
                                "8081 is free everywhere",
                                probe().hostPort("", "TCP", PORT + 1),
                                everyNode(),
                                A,
                                null)
                        .existing(on(A, existing().hostPort("", "TCP", PORT))),
                of(
                                "hostport-other-ip",
                                "same port and protocol on different host IPs",
                                "127.0.0.1:8080 and 127.0.0.2:8080 do not conflict",
                                probe().hostPort("127.0.0.2", "TCP", PORT),
                                everyNode(),
                                A,
                                null)
                        .existing(on(A, existing().hostPort("127.0.0.1", "TCP", PORT))),
                of(
                                "hostport-same-ip",
                                "same port, protocol and host IP",
                                "10.1.2.3:8080 twice conflicts",
                                probe().hostPort("10.1.2.3", "TCP", PORT),
                                allBut(A),
                                B,
                                PORTS)
                        .existing(on(A, existing().hostPort("10.1.2.3", "TCP", PORT))),
                of(
                                "hostport-wildcard-held",
                                "0.0.0.0 held, a specific IP asked",
                                "0.0.0.0 covers 10.1.2.3",
                                probe().hostPort("10.1.2.3", "TCP", PORT),
                                allBut(A),
                                B,
                                PORTS)
                        .existing(on(A, existing().hostPort("0.0.0.0", "TCP", PORT))),
                of(
                                "hostport-wildcard-asked",
                                "a specific IP held, all addresses asked",
                                "\"\" (0.0.0.0) covers it",
                                probe().hostPort("", "TCP", PORT),
                                allBut(A),
                                B,
                                PORTS)
                        .existing(on(A, existing().hostPort("10.1.2.3", "TCP", PORT))),
                of(
                                "hostport-init-container-ignored",
                                "host port of an init container",
                                "1.20 counts only the containers' ports: the probe's init container port and the "
                                        + "bound pod's init container port conflict with nothing",
                                probe().init("cpu", "250m", "memory", "1Gi").initHostPort("", "TCP", PORT),
                                everyNode(),
                                A,
                                null)
                        .existing(
                                on(A, existing().hostPort("", "TCP", PORT + 1)),
                                on(
                                        A,
                                        existing()
                                                .init("cpu", "250m", "memory", "1Gi")
                                                .initHostPort("", "TCP", PORT))));
    }
}
