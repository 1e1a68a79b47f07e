package io.qshard.cli.parity2;

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
import static io.qshard.cli.parity2.ResourceCluster.D;
import static io.qshard.cli.parity2.ResourceCluster.E;
import static io.qshard.cli.parity2.ResourceCluster.E_HOSTNAME;

import java.util.List;

/**
 * Volume cases (VolumeBinding, VolumeZone, NodeVolumeLimits) against real PVC/PV/StorageClass/CSINode objects; the
 * PV controller (a kube-controller-manager running only it) completes pre-bound claims and the bindings both
 * schedulers' PreBind start.
 */
final class VolumeCases {
    private static final String CLAIM = "data";

    private VolumeCases() {}

    static List<ResourceCase> all() {
        return List.of(
                of(
                        "pvc-missing",
                        "a claim that does not exist",
                        "PreFilter: unschedulable and unresolvable everywhere",
                        probe().claim("missing"),
                        none(),
                        null,
                        "persistentvolumeclaim \"missing\" not found"),
                of(
                                "pvc-immediate-unbound",
                                "an unbound claim of an Immediate class",
                                "no PV matches it; the pod waits for the PV controller",
                                probe().claim(CLAIM),
                                none(),
                                null,
                                "pod has unbound immediate PersistentVolumeClaims")
                        .setup(ctx -> ctx.pendingImmediate(CLAIM)),
                of(
                                "local-pv-bound",
                                "a claim bound to a local PV with node affinity",
                                "the PV is on c",
                                probe().claim(CLAIM),
                                only(C),
                                C,
                                "node(s) had volume node affinity conflict")
                        .setup(ctx -> ctx.boundLocal(CLAIM, C)),
                of(
                                "local-pv-hostname-label",
                                "local PV node affinity on a hostname label that is not the name",
                                "kubernetes.io/hostname In (rp-e-host) is rp-e",
                                probe().claim(CLAIM),
                                only(E),
                                E,
                                "node(s) had volume node affinity conflict")
                        .setup(ctx -> ctx.boundLocal(CLAIM, E_HOSTNAME)),
                of(
                                "wffc-static-local",
                                "WaitForFirstConsumer claim, static local PVs on b, c, d",
                                "each probe has its own claim and PVs; bound to the chosen node's PV in PreBind",
                                probe().claim(PodShape.OWN_CLAIM),
                                only(B, C, D),
                                B,
                                "node(s) didn't find available persistent volumes to bind")
                        .hook(new StaticLocalVolumes(List.of(B, C, D))),
                of(
                                "pv-zone",
                                "a claim bound to a zone-labelled PV",
                                "zone-b: c and d",
                                probe().claim(CLAIM),
                                only(C, D),
                                C,
                                "node(s) had no available volume zone")
                        .setup(ctx -> ctx.boundZone(CLAIM, "zone-b")),
                of(
                                "csi-attach-limit",
                                "CSINode attach limit reached",
                                "a allows 1 volume of the driver and has one",
                                probe().claim(CLAIM),
                                allBut(A),
                                B,
                                "node(s) exceed max volume count")
                        .setup(ctx -> {
                            ctx.csiNode(A, 1); // first: no fence covers CSINodes, the binds below take a while
                            ctx.boundCsi("held");
                            ctx.boundCsi(CLAIM);
                        })
                        .existing(on(A, existing().claim("held"))),
                of(
                                "csi-attach-limit-not-reached",
                                "CSINode attach limit not reached",
                                "a allows 2 and has one",
                                probe().claim(CLAIM),
                                everyNode(),
                                A,
                                null)
                        .setup(ctx -> {
                            ctx.csiNode(A, 2); // first: no fence covers CSINodes, the binds below take a while
                            ctx.boundCsi("held");
                            ctx.boundCsi(CLAIM);
                        })
                        .existing(on(A, existing().claim("held"))));
    }
}
