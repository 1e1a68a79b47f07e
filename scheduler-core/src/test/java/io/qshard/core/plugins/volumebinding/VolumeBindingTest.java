package io.qshard.core.plugins.volumebinding;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static io.qshard.core.volume.Volumes.HOSTNAME;
import static io.qshard.core.volume.Volumes.catalog;
import static io.qshard.core.volume.Volumes.claim;
import static io.qshard.core.volume.Volumes.immediate;
import static io.qshard.core.volume.Volumes.in;
import static io.qshard.core.volume.Volumes.pv;
import static io.qshard.core.volume.Volumes.wffc;
import static io.qshard.core.volume.Volumes.withClaims;
import static io.qshard.core.volume.Volumes.withVolumes;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.VolumeBinder;
import io.qshard.core.volume.VolumeCatalog;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.core.volume.VolumeSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-scheduler 1.20's VolumeBinding on two nodes: n1 ({@code hostname n1, zone a}) and n2 ({@code hostname n2, zone
 * b}). Local PVs carry {@code hostname In [node]} affinity. Classes: "local" (WaitForFirstConsumer, no provisioner),
 * "dyn" (WaitForFirstConsumer, provisioner csi.example.com), "dyn-a" (the same, allowed only in zone a), "fast"
 * (Immediate). Sizes in GiB.
 */
class VolumeBindingTest {
    private static final String NODE = VolumeBinding.ERR_NODE_CONFLICT;
    private static final String BIND = VolumeBinding.ERR_BIND_CONFLICT;
    private static final Object[] CLASSES = {
        wffc("local", "kubernetes.io/no-provisioner"),
        wffc("dyn", "csi.example.com"),
        wffc("dyn-a", "csi.example.com", in("zone", "a")),
        immediate("fast", "csi.example.com")
    };

    private final NodeState n1 =
            node("n1", 4000, 8).label(HOSTNAME, "n1").label("zone", "a").state();
    private final NodeState n2 =
            node("n2", 4000, 8).label(HOSTNAME, "n2").label("zone", "b").state();
    private final Recorder binder = new Recorder();
    private final VolumeBinding plugin = new VolumeBinding(binder);

    private ClusterSnapshot snapshot(Object... objects) {
        List<Object> all = new ArrayList<>(List.of(CLASSES));
        all.addAll(List.of(objects));
        return ClusterSnapshot.empty().with(n1).with(n2).withVolumes(catalog(all.toArray()));
    }

    private static PodRequest podWith(String... claims) {
        return withClaims(pod("p", "prod", 100, 1).build(), claims);
    }

    static Stream<Arguments> preFilterRefusals() {
        return Stream.of(
                Arguments.of(
                        "claim missing",
                        List.of(),
                        Status.Code.UNRESOLVABLE,
                        "persistentvolumeclaim \"data\" not found"),
                Arguments.of(
                        "claim being deleted",
                        List.of(claim("ns", "data").storageClass("local").deleting()),
                        Status.Code.UNRESOLVABLE,
                        "persistentvolumeclaim \"data\" is being deleted"),
                Arguments.of(
                        "Immediate class, unbound",
                        List.of(claim("ns", "data").storageClass("fast")),
                        Status.Code.UNRESOLVABLE,
                        VolumeBinding.ERR_UNBOUND_IMMEDIATE),
                Arguments.of(
                        "no class: immediate",
                        List.of(claim("ns", "data")),
                        Status.Code.UNRESOLVABLE,
                        VolumeBinding.ERR_UNBOUND_IMMEDIATE),
                Arguments.of(
                        "class not found: immediate",
                        List.of(claim("ns", "data").storageClass("gone")),
                        Status.Code.UNRESOLVABLE,
                        VolumeBinding.ERR_UNBOUND_IMMEDIATE),
                Arguments.of(
                        "WaitForFirstConsumer but pre-bound by volumeName: the PV controller's, immediate",
                        List.of(claim("ns", "data").storageClass("local").preBoundTo("pv-1")),
                        Status.Code.UNRESOLVABLE,
                        VolumeBinding.ERR_UNBOUND_IMMEDIATE),
                Arguments.of(
                        "bound to a PV that is not there",
                        List.of(claim("ns", "data").storageClass("local").boundTo("pv-gone")),
                        Status.Code.ERROR,
                        "could not find v1.PersistentVolume \"pv-gone\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void preFilterRefusals(String name, List<Object> objects, Status.Code code, String reason) {
        Status s = plugin.preFilter(new CycleState(), podWith("data"), snapshot(objects.toArray()));
        assertThat(s.code()).isEqualTo(code);
        assertThat(s.reasons()).containsExactly(reason);
        assertThat(s.plugin()).isEqualTo(VolumeBinding.NAME);
    }

    @Test
    void aMissingClaimIsReportedBeforeAnUnboundImmediateOne() {
        // kube checks every claim exists (podHasPVCs) before it classifies them (GetPodVolumes)
        Status s = plugin.preFilter(
                new CycleState(),
                podWith("fast", "missing"),
                snapshot(claim("ns", "fast").storageClass("fast")));
        assertThat(s.reasons()).containsExactly("persistentvolumeclaim \"missing\" not found");
    }

    @Test
    void aGenericEphemeralVolumesClaimMustBeThePods() {
        PodRequest p = withVolumes(
                pod("p", "prod", 100, 1).build(),
                List.of(new PodVolume("scratch", PodVolume.Source.EPHEMERAL, "p-scratch", null, false)));
        Status theirs = plugin.preFilter(
                new CycleState(),
                p,
                snapshot(claim("ns", "p-scratch").storageClass("dyn").controller("other")));
        assertThat(theirs.reasons()).containsExactly("persistentvolumeclaim \"p-scratch\" was not created for the pod");
        Status mine = plugin.preFilter(
                new CycleState(),
                p,
                snapshot(claim("ns", "p-scratch").storageClass("dyn").controller("p")));
        assertThat(mine).isSameAs(Status.SUCCESS);
    }

    @Test
    void podsWithoutClaimsSkipEveryStep() {
        CycleState state = new CycleState();
        PodRequest p = pod("p", "prod", 100, 1).build();
        assertThat(plugin.preFilter(state, p, ClusterSnapshot.empty())).isSameAs(Status.SKIP);
        assertThat(plugin.reserve(state, p, "n1")).isSameAs(Status.SUCCESS);
        assertThat(plugin.preBindNeeded(state, p)).isFalse();
        assertThat(plugin.nodeLocal()).isFalse(); // reads the catalog: decisions reused only for pods it skips
        assertThat(binder.assumed).isEmpty();
    }

    @Test
    void untilTheVolumeSourcesAreListedPodsWithClaimsWait() {
        ClusterSnapshot waiting = ClusterSnapshot.empty().with(n1);
        Status s = plugin.preFilter(new CycleState(), podWith("data"), waiting);
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(s.reasons())
                .containsExactly("waiting for this scheduler to list persistentvolumeclaims, persistentvolumes, "
                        + "storageclasses.storage.k8s.io");
        ClusterSnapshot noRbac =
                waiting.withVolumes(catalogWith(VolumeSources.READY.withClaims(VolumeSources.State.FORBIDDEN)));
        Status f = plugin.preFilter(new CycleState(), podWith("data"), noRbac);
        assertThat(f.code()).isEqualTo(Status.Code.UNRESOLVABLE);
        assertThat(f.reasons())
                .containsExactly("RBAC forbids this scheduler to list/watch persistentvolumeclaims: pods with "
                        + "PersistentVolumeClaims are not scheduled");
    }

    private static VolumeCatalog catalogWith(VolumeSources sources) {
        io.qshard.core.volume.VolumeIndex index = new io.qshard.core.volume.VolumeIndex();
        index.sources(sources);
        return index.catalog();
    }

    /**
     * Filter verdicts on n1 and n2: "ok", or the reasons joined by "+" ({@code node} = volume node affinity conflict,
     * {@code bind} = no available persistent volumes to bind), and the PVs (claim → PV) or provisionings a Reserve on
     * the first node that fits picks.
     */
    static Stream<Arguments> filter() {
        return Stream.of(
                Arguments.of(
                        "bound claim, local PV on n1",
                        List.of(
                                claim("ns", "a").storageClass("local").boundTo("pv-1"),
                                pv("pv-1").on("n1").boundTo("ns", "a")),
                        List.of("a"),
                        "ok",
                        "node",
                        "none"),
                Arguments.of(
                        "bound claim, PV without node affinity",
                        List.of(
                                claim("ns", "a").storageClass("local").boundTo("pv-1"),
                                pv("pv-1").boundTo("ns", "a")),
                        List.of("a"),
                        "ok",
                        "ok",
                        "none"),
                Arguments.of(
                        "WaitForFirstConsumer, a local PV per node",
                        List.of(
                                claim("ns", "a").storageClass("local"),
                                pv("pv-1").storageClass("local").on("n1"),
                                pv("pv-2").storageClass("local").on("n2")),
                        List.of("a"),
                        "ok",
                        "ok",
                        "a=pv-1"),
                Arguments.of(
                        "WaitForFirstConsumer, PV too small (5 GiB asked, 1 GiB PV), no provisioner",
                        List.of(
                                claim("ns", "a").storageClass("local").gi(5),
                                pv("pv-1").storageClass("local").on("n1")),
                        List.of("a"),
                        "bind",
                        "bind",
                        "-"),
                Arguments.of(
                        "the smallest PV that fits: 2 GiB asked, PVs of 10, 2 and 5 GiB",
                        List.of(
                                claim("ns", "a").storageClass("local").gi(2),
                                pv("pv-10").storageClass("local").gi(10).on("n1"),
                                pv("pv-2").storageClass("local").gi(2).on("n1"),
                                pv("pv-5").storageClass("local").gi(5).on("n1")),
                        List.of("a"),
                        "ok",
                        "bind",
                        "a=pv-2"),
                Arguments.of(
                        "no PV, a provisioner: provisioned on any node",
                        List.of(claim("ns", "a").storageClass("dyn")),
                        List.of("a"),
                        "ok",
                        "ok",
                        "provision a"),
                Arguments.of(
                        "provisioner allowed in zone a only",
                        List.of(claim("ns", "a").storageClass("dyn-a")),
                        List.of("a"),
                        "ok",
                        "bind",
                        "provision a"),
                Arguments.of(
                        "a static PV first, provisioning where there is none",
                        List.of(
                                claim("ns", "a").storageClass("dyn"),
                                pv("pv-2").storageClass("dyn").on("n2")),
                        List.of("a"),
                        "ok",
                        "ok",
                        "provision a"),
                Arguments.of(
                        "provisioning already selected n2: the fast path",
                        List.of(claim("ns", "a").storageClass("dyn").selectedNode("n2")),
                        List.of("a"),
                        "bind",
                        "ok",
                        "provision a"),
                Arguments.of(
                        "bound on n1, unbound without PV on n2: both reasons on n2",
                        List.of(
                                claim("ns", "a").storageClass("local").boundTo("pv-1"),
                                        pv("pv-1").on("n1").boundTo("ns", "a"),
                                claim("ns", "b").storageClass("local"),
                                        pv("pv-3").storageClass("local").on("n1")),
                        List.of("a", "b"),
                        "ok",
                        "node+bind",
                        "b=pv-3"),
                Arguments.of(
                        "a PV pre-bound to the claim wins, even where its node affinity rejects the node",
                        List.of(
                                claim("ns", "a").storageClass("local"),
                                pv("pv-1").storageClass("local").on("n1"),
                                pv("pv-2").storageClass("local").gi(3).on("n2").preBoundTo("ns", "a")),
                        List.of("a"),
                        "bind",
                        "ok",
                        "a=pv-2"),
                Arguments.of(
                        "two claims need two PVs: one PV on n1 is not enough",
                        List.of(
                                claim("ns", "a").storageClass("local"),
                                claim("ns", "b").storageClass("local").gi(2),
                                pv("pv-1").storageClass("local").gi(2).on("n1"),
                                pv("pv-2").storageClass("local").gi(2).on("n2"),
                                pv("pv-3").storageClass("local").gi(5).on("n2")),
                        List.of("a", "b"),
                        "bind",
                        "ok",
                        "a=pv-2 b=pv-3"),
                Arguments.of(
                        "access modes must be offered by the PV (RWX asked, RWO PV)",
                        List.of(
                                claim("ns", "a").storageClass("local").modes("ReadWriteMany"),
                                pv("pv-1").storageClass("local").on("n1")),
                        List.of("a"),
                        "bind",
                        "bind",
                        "-"),
                Arguments.of(
                        "volume mode must match (Block claim, Filesystem PV)",
                        List.of(
                                claim("ns", "a").storageClass("local").block(),
                                pv("pv-1").storageClass("local").on("n1"),
                                pv("pv-2").storageClass("local").block().on("n2")),
                        List.of("a"),
                        "bind",
                        "ok",
                        "a=pv-2"),
                Arguments.of(
                        "the claim's selector picks among PV labels",
                        List.of(
                                claim("ns", "a").storageClass("local").selector("tier", "fast"),
                                pv("pv-1").storageClass("local").on("n1"),
                                pv("pv-2").storageClass("local").on("n2").label("tier", "fast")),
                        List.of("a"),
                        "bind",
                        "ok",
                        "a=pv-2"),
                Arguments.of(
                        "PVs not Available, of another class, being deleted or bound elsewhere are no candidates",
                        List.of(
                                claim("ns", "a").storageClass("local"),
                                pv("pv-1").storageClass("local").on("n1").phase("Released"),
                                pv("pv-2").storageClass("other").on("n1"),
                                pv("pv-3").storageClass("local").on("n1").deleting(),
                                pv("pv-4").storageClass("local").on("n1").boundTo("ns", "x"),
                                pv("pv-5").storageClass("local").on("n2")),
                        List.of("a"),
                        "bind",
                        "ok",
                        "a=pv-5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void filter(String name, List<Object> objects, List<String> claims, String onN1, String onN2, String reserved) {
        ClusterSnapshot snap = snapshot(objects.toArray());
        PodRequest p = podWith(claims.toArray(String[]::new));
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, p, snap)).isSameAs(Status.SUCCESS);
        assertThat(verdict(plugin.filter(state, p, n1))).isEqualTo(onN1);
        assertThat(verdict(plugin.filter(state, p, n2))).isEqualTo(onN2);
        if (reserved.equals("-")) {
            return; // no node fits: nothing is reserved
        }
        String first = onN1.equals("ok") ? "n1" : "n2";
        assertThat(plugin.reserve(state, p, first)).isSameAs(Status.SUCCESS);
        assertThat(describe(binder.assumed)).isEqualTo(reserved);
        assertThat(plugin.preBindNeeded(state, p)).isEqualTo(!reserved.equals("none"));
    }

    private static String verdict(Status s) {
        if (s.isSuccess()) {
            return "ok";
        }
        assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE);
        assertThat(s.plugin()).isEqualTo(VolumeBinding.NAME);
        return String.join(
                "+",
                s.reasons().stream()
                        .map(r -> r.equals(NODE) ? "node" : r.equals(BIND) ? "bind" : r)
                        .toList());
    }

    private static String describe(List<VolumeDecision> assumed) {
        if (assumed.isEmpty()) {
            return "none";
        }
        assertThat(assumed).hasSize(1);
        VolumeDecision d = assumed.get(0);
        List<String> parts = new ArrayList<>();
        d.bindings().forEach(b -> parts.add(b.claim().name() + "=" + b.volume().name()));
        d.provisions().forEach(c -> parts.add("provision " + c.name()));
        return String.join(" ", parts);
    }

    @Test
    void preBindBindsTheReservedDecisionAndUnreserveForgetsIt() {
        ClusterSnapshot snap = snapshot(
                claim("ns", "a").storageClass("local"),
                pv("pv-1").storageClass("local").on("n1"));
        PodRequest p = podWith("a");
        CycleState state = new CycleState();
        plugin.preFilter(state, p, snap);
        plugin.reserve(state, p, "n1");
        assertThat(plugin.preBind(state, p, "n1")).isSameAs(Status.SUCCESS);
        assertThat(binder.bound).containsExactlyElementsOf(binder.assumed);

        binder.failWith = "binding volumes: timed out waiting for the condition";
        Status failed = plugin.preBind(state, p, "n1");
        assertThat(failed.code()).isEqualTo(Status.Code.ERROR);
        assertThat(failed.reasons()).containsExactly("binding volumes: timed out waiting for the condition");

        plugin.unreserve(state, p, "n1");
        plugin.unreserve(state, p, "n1"); // idempotent: the binder's forget is
        assertThat(binder.forgotten).hasSize(2).allMatch(d -> d.equals(binder.assumed.get(0)));
    }

    @Test
    void reserveOnANodeTheFilterRejectedIsAnError() {
        ClusterSnapshot snap = snapshot(
                claim("ns", "a").storageClass("local"),
                pv("pv-1").storageClass("local").on("n1"));
        PodRequest p = podWith("a");
        CycleState state = new CycleState();
        plugin.preFilter(state, p, snap);
        Status s = plugin.reserve(state, p, "n2");
        assertThat(s.code()).isEqualTo(Status.Code.ERROR);
        assertThat(s.reasons()).containsExactly("no pod volumes found for node \"n2\"");
        assertThat(binder.assumed).isEmpty();
    }

    /** Records what the plugin asks of its binder. */
    static final class Recorder implements VolumeBinder {
        final List<VolumeDecision> assumed = new ArrayList<>();
        final List<VolumeDecision> forgotten = new ArrayList<>();
        final List<VolumeDecision> bound = new ArrayList<>();
        String failWith;

        @Override
        public void assume(VolumeDecision decision) {
            assumed.add(decision);
        }

        @Override
        public void forget(VolumeDecision decision) {
            forgotten.add(decision);
        }

        @Override
        public Optional<String> bind(PodRequest pod, VolumeDecision decision) {
            bound.add(decision);
            return Optional.ofNullable(failWith);
        }
    }
}
