package io.qshard.core.plugins.volumebinding;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreBindPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.VolumeBinder;
import io.qshard.core.volume.VolumeCatalog;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.core.volume.VolumeSources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * kube-scheduler 1.20's VolumeBinding: a pod's PersistentVolumeClaims (and generic ephemeral volumes' claims) must
 * exist and not be being deleted, and Immediate ones must be bound (PreFilter, unresolvable); a bound claim's PV must
 * admit the node by its node affinity; an unbound WaitForFirstConsumer claim needs, on the node, a free static PV that
 * fits it (the smallest; a PV pre-bound to it first) or a class that provisions there (Filter). Reserve records the
 * chosen PVs and provisionings through the {@link VolumeBinder}, so that the next decision does not choose them again;
 * PreBind writes them (PV {@code claimRef}, claim {@code selected-node}) and waits until the PV controller has bound
 * every claim. A pod without claims skips every step (PreFilter SKIP) and keeps decision reuse. Reads the snapshot's
 * {@link VolumeCatalog}, not one node: not node-local. Storage capacity tracking (alpha in 1.20) is left out. Stateless
 * and thread-safe.
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin {
    public static final String NAME = "VolumeBinding";
    /** kube's {@code ErrReasonNodeConflict}: a bound claim's PV does not admit the node. */
    public static final String ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict";
    /** kube's {@code ErrReasonBindConflict}: an unbound claim finds no PV nor provisioning on the node. */
    public static final String ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
    /** kube's reason for Immediate claims that are not bound yet. */
    public static final String ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

    private static final CycleState.Key<PodClaims> CLAIMS = new CycleState.Key<>(NAME + ".claims");
    private static final CycleState.Key<VolumeDecision> DECISION = new CycleState.Key<>(NAME + ".decision");

    private final VolumeBinder binder;

    public VolumeBinding(VolumeBinder binder) {
        this.binder = Objects.requireNonNull(binder, "binder");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        if (!pod.details().hasClaims()) {
            return Status.SKIP;
        }
        VolumeCatalog catalog = snapshot.volumes();
        Status unusable = unusable(catalog.sources());
        if (unusable != null) {
            return unusable;
        }
        List<VolumeClaim> claims = new ArrayList<>(2);
        for (PodVolume v : pod.details().volumes()) { // kube's podHasPVCs
            if (!v.usesClaim()) {
                continue;
            }
            VolumeClaim c = catalog.claim(pod.namespace(), v.claimName());
            if (c == null) {
                return Status.unresolvable(NAME, "persistentvolumeclaim \"" + v.claimName() + "\" not found");
            }
            if (c.deleting()) {
                return Status.unresolvable(NAME, "persistentvolumeclaim \"" + c.name() + "\" is being deleted");
            }
            if (v.source() == PodVolume.Source.EPHEMERAL && !pod.uid().equals(c.controllerUid())) {
                return Status.unresolvable(
                        NAME, "persistentvolumeclaim \"" + c.name() + "\" was not created for the pod");
            }
            if (!claims.contains(c)) {
                claims.add(c);
            }
        }
        List<PersistentVolume> bound = new ArrayList<>(claims.size());
        List<VolumeClaim> delayed = new ArrayList<>(0);
        String missingVolume = null;
        for (VolumeClaim c : claims) { // kube's GetPodVolumes
            if (c.fullyBound()) {
                PersistentVolume pv = catalog.volume(c.volumeName());
                if (pv == null && missingVolume == null) {
                    missingVolume = c.volumeName();
                }
                bound.add(pv);
            } else if (catalog.waitsForFirstConsumer(c) && c.volumeName().isEmpty()) {
                delayed.add(c);
            } else { // Immediate, or pre-bound by volumeName: the PV controller binds it
                return Status.unresolvable(NAME, ERR_UNBOUND_IMMEDIATE);
            }
        }
        if (missingVolume != null) { // kube's checkBoundClaims fails with this error on every node
            return Status.error(NAME, "could not find v1.PersistentVolume \"" + missingVolume + "\"");
        }
        List<ClaimToBind> toBind = new ArrayList<>(delayed.size());
        for (VolumeClaim c : delayed) {
            toBind.add(ClaimToBind.of(c, catalog));
        }
        toBind.sort(Comparator.comparingLong(c -> c.claim().requestBytes()));
        state.write(CLAIMS, new PodClaims(snapshot, bound, toBind));
        return Status.SUCCESS;
    }

    /** Why pods with claims cannot be decided on these sources, or null when they can. */
    private static Status unusable(VolumeSources sources) {
        if (sources.claimsUsable()) {
            return null;
        }
        List<String> forbidden = sources.inState(VolumeSources.State.FORBIDDEN);
        if (!forbidden.isEmpty()) {
            return Status.unresolvable(
                    NAME,
                    "RBAC forbids this scheduler to list/watch " + String.join(", ", forbidden)
                            + ": pods with PersistentVolumeClaims are not scheduled");
        }
        List<String> waiting = new ArrayList<>(sources.inState(VolumeSources.State.WAITING));
        waiting.addAll(sources.inState(VolumeSources.State.UNSERVED));
        return Status.unschedulable(NAME, "waiting for this scheduler to list " + String.join(", ", waiting));
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        return state.read(CLAIMS).check(node.name(), node.node().labels());
    }

    @Override
    public Status reserve(CycleState state, PodRequest pod, String nodeName) {
        PodClaims claims = state.read(CLAIMS);
        if (claims == null || claims.toBind().isEmpty()) {
            return Status.SUCCESS; // no claims, or all bound: nothing to bind
        }
        Optional<NodeState> node = claims.snapshot().node(nodeName);
        VolumeDecision d = node.isEmpty()
                ? null
                : claims.decide(pod.uid(), nodeName, node.get().node().labels());
        if (d == null) {
            return Status.error(NAME, "no pod volumes found for node \"" + nodeName + "\"");
        }
        binder.assume(d);
        state.write(DECISION, d);
        return Status.SUCCESS;
    }

    @Override
    public void unreserve(CycleState state, PodRequest pod, String nodeName) {
        VolumeDecision d = state.read(DECISION);
        if (d != null) {
            binder.forget(d);
        }
    }

    @Override
    public boolean preBindNeeded(CycleState state, PodRequest pod) {
        return state.read(DECISION) != null;
    }

    @Override
    public Status preBind(CycleState state, PodRequest pod, String nodeName) {
        VolumeDecision d = state.read(DECISION);
        if (d == null) {
            return Status.SUCCESS;
        }
        Optional<String> failure = binder.bind(pod, d);
        return failure.map(why -> Status.error(NAME, why)).orElse(Status.SUCCESS);
    }
}
