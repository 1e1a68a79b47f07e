package io.qshard.cli.parity2;

import static io.qshard.cli.parity2.PodShape.cores;
import static io.qshard.cli.parity2.PodShape.existing;
import static io.qshard.cli.parity2.PodShape.probe;
import static io.qshard.cli.parity2.ResourceCase.of;
import static io.qshard.cli.parity2.ResourceCases.allBut;
import static io.qshard.cli.parity2.ResourceCases.everyNode;
import static io.qshard.cli.parity2.ResourceCases.none;
import static io.qshard.cli.parity2.ResourceCases.on;
import static io.qshard.cli.parity2.ResourceCases.only;
import static io.qshard.cli.parity2.ResourceCluster.A;
import static io.qshard.cli.parity2.ResourceCluster.B;
import static io.qshard.cli.parity2.ResourceCluster.C;
import static io.qshard.cli.parity2.ResourceCluster.E;
import static io.qshard.cli.parity2.ResourceCluster.EPHEMERAL;
import static io.qshard.cli.parity2.ResourceCluster.E_HOSTNAME;
import static io.qshard.cli.parity2.ResourceCluster.GPU;
import static io.qshard.cli.parity2.ResourceCluster.HOSTNAME;
import static io.qshard.cli.parity2.ResourceCluster.HUGEPAGES;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * NodeResourcesFit cases (extended resources, ephemeral-storage, hugepages, init containers, the sidecar the 1.20
 * apiserver turns into a plain init container, pod overhead), the gated pod the 1.20 apiserver ungates, and required
 * node affinity on {@code metadata.name} versus the hostname label.
 */
final class FitCases {
    private static final String INSUFFICIENT_GPU = "Insufficient " + GPU;
    private static final String INSUFFICIENT_CPU = "Insufficient cpu";
    private static final String NODE_AFFINITY = "node(s) didn't match Pod's node affinity";
    private static final String RUNTIME_CLASS = "rp-overhead";

    private FitCases() {}

    static List<ResourceCase> all() {
        return List.of(
                of(
                        "gpu-present",
                        "extended resource present",
                        "only b (2) and c (1) have example.com/gpu; b larger",
                        probe().plus(GPU, "1"),
                        only(B, C),
                        B,
                        INSUFFICIENT_GPU),
                of(
                        "extended-absent",
                        "extended resource no node has",
                        "no node has example.com/fpga",
                        probe().plus("example.com/fpga", "1"),
                        none(),
                        null,
                        "Insufficient example.com/fpga"),
                of(
                        "gpu-too-few",
                        "extended resource, too few",
                        "2 GPUs: only b has 2",
                        probe().plus(GPU, "2"),
                        only(B),
                        B,
                        INSUFFICIENT_GPU),
                of(
                                "gpu-too-few-after-use",
                                "extended resource used by a bound pod",
                                "b's pod holds 1 of 2: nowhere 2",
                                probe().plus(GPU, "2"),
                                none(),
                                null,
                                INSUFFICIENT_GPU)
                        .existing(on(B, existing().plus(GPU, "1"))),
                of(
                                "gpu-node-full",
                                "extended resource all used on the best node",
                                "b's 2 GPUs are taken: only c",
                                probe().plus(GPU, "1"),
                                only(C),
                                C,
                                INSUFFICIENT_GPU)
                        .existing(on(B, existing().plus(GPU, "2"))),
                of(
                        "ephemeral-storage",
                        "ephemeral-storage",
                        "50Gi: a (200Gi), b (100Gi); d has none in allocatable",
                        probe().plus(EPHEMERAL, "50Gi"),
                        only(A, B),
                        A,
                        "Insufficient ephemeral-storage"),
                of(
                                "ephemeral-storage-used",
                                "ephemeral-storage used by a bound pod",
                                "a's pod holds 180Gi of 200Gi",
                                probe().plus(EPHEMERAL, "50Gi"),
                                only(B),
                                B,
                                "Insufficient ephemeral-storage")
                        .existing(on(A, existing().plus(EPHEMERAL, "180Gi"))),
                of(
                        "ephemeral-storage-absent-on-node",
                        "ephemeral-storage on a node that reports none",
                        "1Gi fits every node but d, whose allocatable has no ephemeral-storage",
                        probe().plus(EPHEMERAL, "1Gi"),
                        allBut(ResourceCluster.D),
                        A,
                        "Insufficient ephemeral-storage"),
                of(
                        "hugepages",
                        "hugepages-2Mi",
                        "1Gi: only a (2Gi); c has 512Mi",
                        probe().plus(HUGEPAGES, "1Gi"),
                        only(A),
                        A,
                        "Insufficient hugepages-2Mi"),
                of(
                                "hugepages-used",
                                "hugepages-2Mi used by a bound pod",
                                "a's pod holds all 2Gi: only c (512Mi)",
                                probe().plus(HUGEPAGES, "256Mi"),
                                only(C),
                                C,
                                "Insufficient hugepages-2Mi")
                        .existing(on(A, existing().plus(HUGEPAGES, "2Gi"))),
                of(
                        "init-bigger-than-containers",
                        "init container bigger than the containers",
                        "max(init 7, containers 2) = 7 cores: d (8) fits, e (4) not; the sum 9 would exclude d",
                        probe().init("cpu", "7", "memory", "28Gi"),
                        allBut(E),
                        A,
                        INSUFFICIENT_CPU),
                of(
                        "init-containers-not-summed",
                        "several init containers run one after another",
                        "max(5, 5, 1) = 5 cores: d fits; summing the init containers (10) would exclude d",
                        cores(1).init("cpu", "5", "memory", "20Gi").init("cpu", "5", "memory", "20Gi"),
                        allBut(E),
                        A,
                        INSUFFICIENT_CPU),
                of(
                                "sidecar-is-init-on-1.20",
                                "init container with restartPolicy Always (sidecar, 1.29)",
                                "the 1.20 apiserver drops restartPolicy: a plain init container, max(3, 6) = 6 "
                                        + "cores, d fits (the 1.29 rule, 3 + 6 = 9, would exclude d)",
                                cores(6).init("cpu", "3", "memory", "12Gi").withSidecar(),
                                allBut(E),
                                A,
                                INSUFFICIENT_CPU)
                        .stored(FitCases::initRestartPolicyDropped),
                of(
                                "overhead",
                                "pod overhead from a RuntimeClass",
                                "5 cores + 4 cores overhead = 9: d (8) no longer fits",
                                cores(5).runtimeClass(RUNTIME_CLASS),
                                only(A, B, ResourceCluster.C),
                                A,
                                INSUFFICIENT_CPU)
                        .setup(ctx -> ctx.runtimeClass(RUNTIME_CLASS, "4", "16Gi"))
                        .stored(FitCases::overheadFromRuntimeClass),
                of(
                                "gated-pod-on-1.20",
                                "schedulingGates (1.26+)",
                                "the 1.20 apiserver drops the field: an ordinary pod, scheduled at once",
                                probe().withGates(),
                                everyNode(),
                                A,
                                null)
                        .stored(FitCases::gatesDropped),
                of(
                        "match-fields-node-name",
                        "matchFields metadata.name on a node whose hostname label differs",
                        "metadata.name In (rp-e) matches the node's name",
                        probe().nameField(E),
                        only(E),
                        E,
                        NODE_AFFINITY),
                of(
                        "match-fields-hostname-value",
                        "matchFields metadata.name with the hostname label's value",
                        "no node is named rp-e-host",
                        probe().nameField(E_HOSTNAME),
                        none(),
                        null,
                        NODE_AFFINITY),
                of(
                        "hostname-label-not-name",
                        "matchExpressions on the hostname label",
                        "kubernetes.io/hostname In (rp-e-host) matches rp-e's label",
                        probe().labelIn(HOSTNAME, E_HOSTNAME),
                        only(E),
                        E,
                        NODE_AFFINITY));
    }

    private static String initRestartPolicyDropped(Pod p) {
        Container init = p.getSpec().getInitContainers().get(0);
        return init.getRestartPolicy() == null ? null : "init container restartPolicy " + init.getRestartPolicy();
    }

    private static String gatesDropped(Pod p) {
        return p.getSpec().getSchedulingGates() == null
                        || p.getSpec().getSchedulingGates().isEmpty()
                ? null
                : "schedulingGates kept: " + p.getSpec().getSchedulingGates();
    }

    /** The RuntimeClass admission plugin (on by default in 1.20) copies overhead.podFixed into spec.overhead. */
    private static String overheadFromRuntimeClass(Pod p) {
        Map<String, Quantity> o = p.getSpec().getOverhead();
        Map<String, Quantity> expected = Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"));
        return expected.equals(o) ? null : "spec.overhead " + o + ", expected " + expected;
    }
}
