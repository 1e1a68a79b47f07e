package io.qshard.shard.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerPorts;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.shard.scheduler.TierScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VolumeBinding against the real apiserver and kube-controller-manager's PV controller, which completes the bindings
 * qshard-prod starts: local PVs with node affinity to one of two nodes, WaitForFirstConsumer claims bound to the PV of
 * the node the pod is placed on, and the refusals a user reads in the pod's FailedScheduling event and PodScheduled
 * condition (kube-scheduler 1.20's words). Runs in scheduler-shard's IT JVM with controller-manager on: no IT of this
 * module creates workloads (ReplicaSets, Deployments, StatefulSets) whose pods a controller would manage, nor pods with
 * owner references the garbage collector could reap.
 */
@RealControlPlane(controllerManager = true)
class VolumeBindingIT {
    private static final String HOSTNAME = "kubernetes.io/hostname";
    private static SchedulerProcess scheduler;

    @BeforeAll
    static void start(KubernetesClient admin, LocalControlPlane cp) {
        admin.resource(NodeFixture.node("vol-a").cpu("4").memory("8Gi").build()).create();
        admin.resource(NodeFixture.node("vol-b").cpu("4").memory("8Gi").build()).create();
        scheduler = start(cp, "prod");
    }

    /** A scheduler process for one default tier, with a 60 s volume bind timeout. */
    private static SchedulerProcess start(LocalControlPlane cp, String tier) {
        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                "qshard-it-volumes-" + tier);
        QshardConfig cfg = QshardConfig.defaults();
        return SchedulerProcess.start(
                client,
                cfg,
                ShippedPlugins.registry(),
                List.of(cfg.tier(tier)),
                SchedulerSettings.defaults().withVolumeBindTimeout(Duration.ofSeconds(60)),
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        scheduler.stop(Duration.ofSeconds(5));
    }

    @Test
    void aWaitForFirstConsumerClaimIsBoundToThePvOfTheChosenNode(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "wffc");
        String sc = localClass(admin, ns);
        String pvA = localPv(admin, sc, "vol-a");
        String pvB = localPv(admin, sc, "vol-b");
        claim(admin, ns, "data", sc);
        Pod web = withClaim(PodFixture.pod("web").namespace(ns).tier("prod").build(), "data");
        web.getSpec()
                .setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                        .withNewNodeAffinity()
                        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm()
                        .withMatchExpressions(new NodeSelectorRequirementBuilder()
                                .withKey(HOSTNAME)
                                .withOperator("NotIn")
                                .withValues("vol-a")
                                .build())
                        .endNodeSelectorTerm()
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endNodeAffinity()
                        .build());
        admin.resource(web).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(nodeOf(admin, ns, "web")).isEqualTo("vol-b");
            PersistentVolumeClaim data = admin.persistentVolumeClaims()
                    .inNamespace(ns)
                    .withName("data")
                    .get();
            assertThat(data.getSpec().getVolumeName()).isEqualTo(pvB);
            assertThat(data.getStatus().getPhase()).isEqualTo("Bound"); // the PV controller completed the binding
        });
        PersistentVolume b = admin.persistentVolumes().withName(pvB).get();
        assertThat(b.getSpec().getClaimRef().getName()).isEqualTo("data");
        assertThat(b.getSpec().getClaimRef().getNamespace()).isEqualTo(ns);
        assertThat(b.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(admin.persistentVolumes().withName(pvA).get().getSpec().getClaimRef())
                .isNull();

        // a second pod of the now bound claim follows its PV, without any node affinity of its own
        admin.resource(withClaim(
                        PodFixture.pod("reader").namespace(ns).tier("prod").build(), "data"))
                .create();
        await().atMost(Duration.ofSeconds(30)).until(() -> "vol-b".equals(nodeOf(admin, ns, "reader")));
    }

    @Test
    void twoPodsDecidedBackToBackNeverTakeTheSamePv(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "pair");
        String sc = localClass(admin, ns);
        // two equal PVs on vol-a: without the assumption made at Reserve, both pods would choose the first by name
        String pv1 = localPv(admin, sc, "vol-a");
        String pv2 = localPv(admin, sc, "vol-a");
        claim(admin, ns, "one", sc);
        claim(admin, ns, "two", sc);
        for (String[] pc : new String[][] {{"p1", "one"}, {"p2", "two"}}) {
            admin.resource(withClaim(
                            PodFixture.pod(pc[0])
                                    .namespace(ns)
                                    .tier("mid")
                                    .nodeSelector(HOSTNAME, "vol-a")
                                    .build(),
                            pc[1]))
                    .create();
        }
        // a mid scheduler started only now finds both pods queued and decides them back to back, microseconds apart:
        // the second decision sees the first one's PV through the assumption, long before the API shows its claimRef
        SchedulerProcess mid = start(cp, "mid");
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String[] pc : new String[][] {{"p1", "one"}, {"p2", "two"}}) {
                    assertThat(nodeOf(admin, ns, pc[0])).as(pc[0]).isEqualTo("vol-a");
                    PersistentVolumeClaim c = admin.persistentVolumeClaims()
                            .inNamespace(ns)
                            .withName(pc[1])
                            .get();
                    assertThat(c.getStatus().getPhase()).as(pc[1]).isEqualTo("Bound");
                }
            });
            List<String> volumes = List.of("one", "two").stream()
                    .map(c -> admin.persistentVolumeClaims()
                            .inNamespace(ns)
                            .withName(c)
                            .get()
                            .getSpec()
                            .getVolumeName())
                    .toList();
            assertThat(volumes).containsExactlyInAnyOrder(pv1, pv2);
            assertThat(mid.schedulers().get(0).metrics().bindErrors.sum())
                    .as("no PreBind found its PV taken and had to retry")
                    .isZero();
        } finally {
            mid.stop(Duration.ofSeconds(5));
        }
    }

    /**
     * The PV a decision chose starts being deleted before PreBind writes its claimRef (the wrapper below deletes it,
     * kept by a finalizer, just before ApiVolumeBinder runs): the claimRef patch carries the resourceVersion the
     * decision saw, so it is refused (409) instead of binding the claim to a terminating PV; the binding fails, the
     * pod is retried on the informer's fresh view and its claim is bound to the other PV.
     */
    @Test
    void aPvChangedBetweenTheDecisionAndPreBindIsNotBoundAndThePodIsRetriedOnAnother(
            KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "stale");
        String sc = localClass(admin, ns);
        String pv1 = localPv(admin, sc, "vol-a");
        String pv2 = localPv(admin, sc, "vol-a");
        claim(admin, ns, "data", sc);
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicReference<String> taken = new AtomicReference<>();
        try (Harness h = Harness.start(cp, Duration.ofSeconds(60), (pod, d) -> {
            if (first.getAndSet(false)) { // the first decision's PV starts terminating before PreBind writes
                taken.set(d.bindings().get(0).volume().name());
                mergePatchPv(admin, taken.get(), "{\"metadata\":{\"finalizers\":[\"" + HOLD + "\"]}}");
                admin.persistentVolumes().withName(taken.get()).delete();
            }
        })) {
            admin.resource(withClaim(
                            PodFixture.pod("web")
                                    .namespace(ns)
                                    .tier("mid")
                                    .nodeSelector(HOSTNAME, "vol-a")
                                    .build(),
                            "data"))
                    .create();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(nodeOf(admin, ns, "web")).isEqualTo("vol-a");
                PersistentVolumeClaim data = admin.persistentVolumeClaims()
                        .inNamespace(ns)
                        .withName("data")
                        .get();
                assertThat(data.getStatus().getPhase()).isEqualTo("Bound");
            });
            String other = taken.get().equals(pv1) ? pv2 : pv1;
            assertThat(admin.persistentVolumeClaims()
                            .inNamespace(ns)
                            .withName("data")
                            .get()
                            .getSpec()
                            .getVolumeName())
                    .isEqualTo(other);
            PersistentVolume terminating =
                    admin.persistentVolumes().withName(taken.get()).get();
            assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(terminating.getSpec().getClaimRef())
                    .as("no claim bound to a terminating PV")
                    .isNull();
            assertThat(h.results)
                    .hasSize(2)
                    .first()
                    .asString()
                    .startsWith(
                            "web: persistentvolume \"" + taken.get() + "\" changed since the decision (being deleted)");
            assertThat(h.results.get(1)).isEqualTo("web: bound");
            assertThat(h.scheduler.metrics().bindErrors.sum()).isEqualTo(1);
        } finally {
            if (taken.get() != null) {
                mergePatchPv(admin, taken.get(), "{\"metadata\":{\"finalizers\":null}}");
            }
        }
    }

    /**
     * A PreBind waits for a provisioner that never comes (the bind timeout is ten minutes): deleting its pod ends it
     * at its next look, as kube 1.20's checkBindings does; so does this instance losing its lease for another pod's.
     */
    @Test
    void aPreBindWaitingForItsVolumeEndsWhenThePodIsDeletedOrTheLeaseLost(
            KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "fence");
        String sc = "nobody-" + ns;
        admin.resource(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName(sc)
                        .endMetadata()
                        .withProvisioner("example.com/nobody-provisions-this")
                        .withVolumeBindingMode("WaitForFirstConsumer")
                        .build())
                .create();
        claim(admin, ns, "one", sc);
        claim(admin, ns, "two", sc);
        try (Harness h = Harness.start(cp, Duration.ofMinutes(10), (pod, d) -> {})) {
            admin.resource(withClaim(
                            PodFixture.pod("deleted")
                                    .namespace(ns)
                                    .tier("mid")
                                    .nodeSelector(HOSTNAME, "vol-a")
                                    .build(),
                            "one"))
                    .create();
            await().atMost(Duration.ofSeconds(30)).until(() -> "vol-a".equals(selectedNode(admin, ns, "one")));
            assertThat(h.results).as("waiting for the provisioner").isEmpty();
            admin.pods().inNamespace(ns).withName("deleted").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> !h.results.isEmpty());
            assertThat(h.results).containsExactly("deleted: pod does not exist any more: pods \"deleted\" not found");

            admin.resource(withClaim(
                            PodFixture.pod("orphan")
                                    .namespace(ns)
                                    .tier("mid")
                                    .nodeSelector(HOSTNAME, "vol-a")
                                    .build(),
                            "two"))
                    .create();
            await().atMost(Duration.ofSeconds(30)).until(() -> "vol-a".equals(selectedNode(admin, ns, "two")));
            h.scheduler.lead(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> h.results.size() == 2);
            assertThat(h.results.get(1))
                    .isEqualTo("orphan: this instance no longer leads its shard (tier mid shard 0)");
            assertThat(nodeOf(admin, ns, "orphan")).isNull();
        } finally {
            admin.pods().inNamespace(ns).withName("orphan").delete();
        }
    }

    private static final String HOLD = "example.com/it-hold";

    /**
     * A mid-tier scheduler whose volume writer is the real {@link ApiVolumeBinder} behind a wrapper that runs
     * {@code before} ahead of each call and records each result ("pod: why", or "pod: bound").
     */
    private static final class Harness implements AutoCloseable {
        final List<String> results = new CopyOnWriteArrayList<>();
        final KubernetesClient client;
        final ClusterInformers informers;
        final TierScheduler scheduler;

        private Harness(LocalControlPlane cp, Duration bindTimeout, BiConsumer<PodRequest, VolumeDecision> before) {
            client = io.qshard.kube.client.ApiClients.create(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(
                            cp.kubeconfig().toFile()),
                    "qshard-it-volumes-harness");
            QshardConfig cfg = QshardConfig.defaults();
            SchedulerSettings settings = SchedulerSettings.defaults().withVolumeBindTimeout(bindTimeout);
            SchedulerPorts api = SchedulerPorts.forApi(client, cfg.tier("mid"), 0, settings, Clock.systemUTC());
            VolumeWriter recorded = (pod, d, fence) -> {
                before.accept(pod, d);
                Optional<String> r = api.volumes().bind(pod, d, fence);
                results.add(pod.name() + ": " + r.orElse("bound"));
                return r;
            };
            scheduler = new TierScheduler(
                    cfg.tier("mid"),
                    0,
                    cfg,
                    ShippedPlugins.registry(),
                    settings,
                    Clock.systemUTC(),
                    new SchedulerPorts(api.binder(), api.reporter(), api.acks(), api.keeper(), recorded));
            informers = new ClusterInformers(client, new PodConverter(cfg));
            informers.addListener(scheduler);
        }

        static Harness start(
                LocalControlPlane cp, Duration bindTimeout, BiConsumer<PodRequest, VolumeDecision> before) {
            Harness h = new Harness(cp, bindTimeout, before);
            try {
                h.informers.start(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                h.informers.close();
                h.client.close();
                throw e;
            }
            h.scheduler.start();
            return h;
        }

        @Override
        public void close() {
            scheduler.stop(Duration.ofSeconds(5));
            informers.close();
            client.close();
        }
    }

    private static String selectedNode(KubernetesClient admin, String ns, String claim) {
        PersistentVolumeClaim c =
                admin.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
        return c.getMetadata().getAnnotations() == null
                ? null
                : c.getMetadata().getAnnotations().get("volume.kubernetes.io/selected-node");
    }

    @Test
    void aClaimToProvisionGetsTheChosenNodeAndThePodWaitsForItsVolume(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "provision");
        String sc = "dyn-" + ns;
        String provisioner = "example.com/test-provisioner";
        admin.resource(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName(sc)
                        .endMetadata()
                        .withProvisioner(provisioner)
                        .withVolumeBindingMode("WaitForFirstConsumer")
                        .build())
                .create();
        claim(admin, ns, "made", sc);
        admin.resource(withClaim(
                        PodFixture.pod("maker")
                                .namespace(ns)
                                .tier("prod")
                                .nodeSelector(HOSTNAME, "vol-a")
                                .build(),
                        "made"))
                .create();

        // the scheduler asks for a volume on the node it chose …
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "vol-a"
                        .equals(admin.persistentVolumeClaims()
                                .inNamespace(ns)
                                .withName("made")
                                .get()
                                .getMetadata()
                                .getAnnotations()
                                .get("volume.kubernetes.io/selected-node")));
        assertThat(nodeOf(admin, ns, "maker"))
                .as("bound only once the claim is")
                .isNull();

        // … this test plays the external provisioner: a PV there, pre-bound to the claim, which the PV controller binds
        PersistentVolumeClaim made =
                admin.persistentVolumeClaims().inNamespace(ns).withName("made").get();
        String pv = localPv(admin, sc, "vol-a");
        mergePatchPv(
                admin,
                pv,
                "{\"metadata\":{\"annotations\":{\"pv.kubernetes.io/provisioned-by\":\"" + provisioner + "\"}},"
                        + "\"spec\":{\"claimRef\":{\"kind\":\"PersistentVolumeClaim\",\"namespace\":\"" + ns
                        + "\",\"name\":\"made\",\"uid\":\"" + made.getMetadata().getUid() + "\"}}}");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(nodeOf(admin, ns, "maker")).isEqualTo("vol-a");
            assertThat(admin.persistentVolumeClaims()
                            .inNamespace(ns)
                            .withName("made")
                            .get()
                            .getSpec()
                            .getVolumeName())
                    .isEqualTo(pv);
        });
    }

    @Test
    void aPodWhoseClaimIsMissingStaysPendingWithKubesReason(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "noclaim");
        admin.resource(withClaim(
                        PodFixture.pod("lost").namespace(ns).tier("prod").build(), "missing"))
                .create();
        assertPendingWith(admin, ns, "lost", "0/2 nodes are available: 2 persistentvolumeclaim \"missing\" not found.");
    }

    @Test
    void anUnboundImmediateClaimKeepsItsPodPendingWithKubesReason(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "immediate");
        String sc = "immediate-" + ns;
        admin.resource(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName(sc)
                        .endMetadata()
                        .withProvisioner("example.com/nobody-provisions-this")
                        .withVolumeBindingMode("Immediate")
                        .build())
                .create();
        claim(admin, ns, "pending", sc); // no PV, no provisioner: it stays Pending
        admin.resource(withClaim(
                        PodFixture.pod("waits").namespace(ns).tier("prod").build(), "pending"))
                .create();
        assertPendingWith(
                admin, ns, "waits", "0/2 nodes are available: 2 pod has unbound immediate PersistentVolumeClaims.");
        assertThat(admin.persistentVolumeClaims()
                        .inNamespace(ns)
                        .withName("pending")
                        .get()
                        .getStatus()
                        .getPhase())
                .isEqualTo("Pending");
    }

    /**
     * Asserts {@code pod} stays pending with {@code message} in its FailedScheduling event and PodScheduled condition,
     * then deletes it: the schedulers of later ITs in this JVM must not meet it.
     */
    private static void assertPendingWith(KubernetesClient admin, String ns, String pod, String message) {
        try {
            awaitPendingWith(admin, ns, pod, message);
        } finally {
            admin.pods().inNamespace(ns).withName(pod).delete();
        }
    }

    private static void awaitPendingWith(KubernetesClient admin, String ns, String pod, String message) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Event> events = admin.v1().events().inNamespace(ns).list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedScheduling");
                assertThat(e.getInvolvedObject().getName()).isEqualTo(pod);
                assertThat(e.getMessage()).isEqualTo(message);
            });
            Pod p = admin.pods().inNamespace(ns).withName(pod).get();
            assertThat(p.getSpec().getNodeName()).isNull();
            PodCondition c = p.getStatus().getConditions().stream()
                    .filter(x -> x.getType().equals("PodScheduled"))
                    .findFirst()
                    .orElseThrow();
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Unschedulable");
            assertThat(c.getMessage()).isEqualTo(message);
        });
    }

    /** A WaitForFirstConsumer class without a provisioner (local volumes), named after the test's namespace. */
    private static String localClass(KubernetesClient admin, String ns) {
        String name = "local-" + ns;
        admin.resource(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withProvisioner("kubernetes.io/no-provisioner")
                        .withVolumeBindingMode("WaitForFirstConsumer")
                        .build())
                .create();
        return name;
    }

    /** A 1 GiB local PV of {@code storageClass} on {@code node}; returns its name. */
    private static String localPv(KubernetesClient admin, String storageClass, String node) {
        String name = "pv-" + node + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 30), 36);
        admin.resource(new PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withStorageClassName(storageClass)
                        .withCapacity(Map.of("storage", new Quantity("1Gi")))
                        .withAccessModes("ReadWriteOnce")
                        .withPersistentVolumeReclaimPolicy("Retain")
                        .withNewLocal()
                        .withPath("/mnt/disks/" + name)
                        .endLocal()
                        .withNewNodeAffinity()
                        .withNewRequired()
                        .addNewNodeSelectorTerm()
                        .withMatchExpressions(new NodeSelectorRequirementBuilder()
                                .withKey(HOSTNAME)
                                .withOperator("In")
                                .withValues(node)
                                .build())
                        .endNodeSelectorTerm()
                        .endRequired()
                        .endNodeAffinity()
                        .endSpec()
                        .build())
                .create();
        return name;
    }

    /**
     * A JSON merge patch without resourceVersion: the PV controller updates new PVs' status concurrently, so a
     * read-modify-write here could meet a 409 that has nothing to do with what the test checks.
     */
    private static void mergePatchPv(KubernetesClient admin, String pv, String json) {
        admin.persistentVolumes().withName(pv).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    private static void claim(KubernetesClient admin, String ns, String name, String storageClass) {
        admin.resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withStorageClassName(storageClass)
                        .withAccessModes("ReadWriteOnce")
                        .withNewResources()
                        .withRequests(Map.of("storage", new Quantity("1Gi")))
                        .endResources()
                        .endSpec()
                        .build())
                .create();
    }

    private static Pod withClaim(Pod pod, String claim) {
        pod.getSpec()
                .setVolumes(List.of(new VolumeBuilder()
                        .withName("data")
                        .withNewPersistentVolumeClaim()
                        .withClaimName(claim)
                        .endPersistentVolumeClaim()
                        .build()));
        return pod;
    }

    private static String nodeOf(KubernetesClient admin, String ns, String pod) {
        Pod p = admin.pods().inNamespace(ns).withName(pod).get();
        return p == null ? null : p.getSpec().getNodeName();
    }
}
