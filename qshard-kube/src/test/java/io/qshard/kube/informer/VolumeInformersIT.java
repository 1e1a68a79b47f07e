package io.qshard.kube.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.CsiNodeLimits;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeSources;
import io.qshard.kube.client.ApiClients;
import io.qshard.kube.convert.PodConverter;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.ServiceAccounts;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The volume informers on a real apiserver: claims, PVs, classes and CSINodes reach a listener converted, changes of
 * what scheduling reads are delivered and a deletion as null; each source is told READY only after every object of
 * its list was delivered (no pod is decided on a partial catalog); and a client RBAC does not let watch them is told
 * so ({@link VolumeSources}: forbidden), which the scheduler turns into a refusal of pods with claims, until the
 * permission is granted.
 */
@RealControlPlane
class VolumeInformersIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void deliversVolumeObjectsConvertedAndTheirDeletion(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "volinf");
        String sc = "wffc-" + ns;
        admin.resource(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName(sc)
                        .endMetadata()
                        .withProvisioner("kubernetes.io/no-provisioner")
                        .withVolumeBindingMode("WaitForFirstConsumer")
                        .build())
                .create();
        String pv = "pv-" + ns;
        admin.resource(new PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName(pv)
                        .endMetadata()
                        .withNewSpec()
                        .withStorageClassName(sc)
                        .withCapacity(Map.of("storage", new Quantity("2Gi")))
                        .withAccessModes("ReadWriteOnce")
                        .withNewCsi()
                        .withDriver("csi.example.com")
                        .withVolumeHandle("vol-1")
                        .endCsi()
                        .endSpec()
                        .build())
                .create();
        String node = "csi-" + ns;
        admin.resource(new CSINodeBuilder()
                        .withNewMetadata()
                        .withName(node)
                        .endMetadata()
                        .withNewSpec()
                        .addNewDriver()
                        .withName("csi.example.com")
                        .withNodeID(node)
                        .withNewAllocatable()
                        .withCount(3)
                        .endAllocatable()
                        .endDriver()
                        .endSpec()
                        .build())
                .create();
        Recorder seen = new Recorder();
        try (ClusterInformers informers = new ClusterInformers(admin, new PodConverter(QshardConfig.defaults()))) {
            informers.addListener(seen);
            informers.start(DEADLINE);
            assertThat(informers.watchesVolumes()).isTrue();
            assertThat(informers.forbiddenVolumes()).isEmpty();
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(seen.sources.get()).isEqualTo(VolumeSources.READY);
                assertThat(seen.classes.get(sc))
                        .hasValueSatisfying(
                                c -> assertThat(c.waitForFirstConsumer()).isTrue());
                assertThat(seen.volumes.get(pv)).hasValueSatisfying(v -> {
                    assertThat(v.capacityBytes()).isEqualTo(2L << 30);
                    assertThat(v.csiDriver()).isEqualTo("csi.example.com");
                    assertThat(v.csiHandle()).isEqualTo("vol-1");
                });
                assertThat(seen.csiNodes.get(node)).hasValue(new CsiNodeLimits(node, Map.of("csi.example.com", 3)));
            });

            admin.resource(claim(ns, "data", sc)).create();
            await().atMost(DEADLINE)
                    .untilAsserted(() -> assertThat(seen.claims.get(ns + "/data"))
                            .hasValueSatisfying(c -> {
                                assertThat(c.storageClassName()).isEqualTo(sc);
                                assertThat(c.requestBytes()).isEqualTo(1L << 30);
                                assertThat(c.selectedNode()).isNull();
                            }));
            admin.persistentVolumeClaims()
                    .inNamespace(ns)
                    .withName("data")
                    .edit(c -> new PersistentVolumeClaimBuilder(c)
                            .editMetadata()
                            .addToAnnotations("volume.kubernetes.io/selected-node", "n1")
                            .endMetadata()
                            .build());
            await().atMost(DEADLINE)
                    .untilAsserted(() -> assertThat(seen.claims.get(ns + "/data"))
                            .hasValueSatisfying(
                                    c -> assertThat(c.selectedNode()).isEqualTo("n1")));

            // the PV keeps its pv-protection finalizer (no controller-manager here): it is seen being deleted
            admin.persistentVolumes().withName(pv).delete();
            admin.storage().v1().csiNodes().withName(node).delete();
            admin.storage().v1().storageClasses().withName(sc).delete();
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(seen.volumes.get(pv))
                        .hasValueSatisfying(v -> assertThat(v.deleting()).isTrue());
                assertThat(seen.csiNodes.get(node)).isEmpty();
                assertThat(seen.classes.get(sc)).isEmpty();
            });
        } finally {
            admin.storage().v1().storageClasses().withName(sc).delete();
        }
    }

    @Test
    void eachSourceIsReadyOnlyOnceEveryObjectListedWasDelivered(KubernetesClient admin) {
        // enough objects that the informers' handlers are still delivering them when their stores are full (the
        // informers' start futures complete then): READY told at that moment would overtake most of them
        String ns = Namespaces.fresh(admin, "volready");
        String sc = "ready-" + ns;
        String csiNode = "csi-" + ns;
        String label = "volready";
        int n = 150;
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new StorageClassBuilder()
                .withNewMetadata()
                .withName(sc)
                .endMetadata()
                .withProvisioner("kubernetes.io/no-provisioner")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build());
        objects.add(new CSINodeBuilder()
                .withNewMetadata()
                .withName(csiNode)
                .endMetadata()
                .withNewSpec()
                .addNewDriver()
                .withName("csi.example.com")
                .withNodeID(csiNode)
                .endDriver()
                .endSpec()
                .build());
        Set<String> claimKeys = new HashSet<>();
        Set<String> volumeNames = new HashSet<>();
        for (int i = 0; i < n; i++) {
            objects.add(claim(ns, "c-" + i, sc));
            claimKeys.add(ns + "/c-" + i);
            objects.add(new PersistentVolumeBuilder()
                    .withNewMetadata()
                    .withName(ns + "-pv-" + i)
                    .withLabels(Map.of(label, ns))
                    .endMetadata()
                    .withNewSpec()
                    .withStorageClassName(sc)
                    .withCapacity(Map.of("storage", new Quantity("1Gi")))
                    .withAccessModes("ReadWriteOnce")
                    .withNewCsi()
                    .withDriver("csi.example.com")
                    .withVolumeHandle("vol-" + i)
                    .endCsi()
                    .endSpec()
                    .build());
            volumeNames.add(ns + "-pv-" + i);
        }
        Bulk.create(admin, objects, 8);
        Recorder seen = new Recorder();
        try (ClusterInformers informers = new ClusterInformers(admin, new PodConverter(QshardConfig.defaults()))) {
            informers.addListener(seen);
            informers.start(DEADLINE);
            // start-up returned: every source was READY, and told so after all its objects (no waiting here)
            assertThat(seen.sources.get()).isEqualTo(VolumeSources.READY);
            assertThat(seen.claimsAtReady.get()).containsAll(claimKeys);
            assertThat(seen.volumesAtReady.get()).containsAll(volumeNames);
            assertThat(seen.classesAtReady.get()).contains(sc);
            assertThat(seen.csiNodesAtReady.get()).contains(csiNode);
            assertThat(seen.claims.keySet()).containsAll(claimKeys);
            assertThat(seen.volumes.keySet()).containsAll(volumeNames);
        } finally {
            admin.persistentVolumes().withLabel(label, ns).delete();
            admin.storage().v1().csiNodes().withName(csiNode).delete();
            admin.storage().v1().storageClasses().withName(sc).delete();
        }
    }

    @Test
    void forbiddenVolumeResourcesAreReportedThenUsedOnceGranted(KubernetesClient admin, LocalControlPlane cp) {
        // the migration loop's identity: nodes, pods and nodeusages only
        Path kubeconfig = ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-migrate", Path.of("..", "manifests", "migrate", "migrate.yaml"));
        Recorder seen = new Recorder();
        String role = "volume-it-claims";
        try (KubernetesClient client = ApiClients.create(Config.fromKubeconfig(kubeconfig.toFile()), "volume-it");
                ClusterInformers informers = new ClusterInformers(client, new PodConverter(QshardConfig.defaults()))) {
            informers.addListener(seen);
            informers.start(DEADLINE); // returns: nodes and pods are allowed
            assertThat(informers.forbiddenVolumes())
                    .containsExactlyInAnyOrder(
                            "persistentvolumeclaims",
                            "persistentvolumes",
                            "storageclasses.storage.k8s.io",
                            "csinodes.storage.k8s.io");
            VolumeSources.State forbidden = VolumeSources.State.FORBIDDEN;
            await().atMost(DEADLINE)
                    .untilAsserted(() -> assertThat(seen.sources.get())
                            .isEqualTo(new VolumeSources(forbidden, forbidden, forbidden, forbidden)));

            // granted later: picked up without a restart
            admin.resource(new ClusterRoleBuilder()
                            .withNewMetadata()
                            .withName(role)
                            .endMetadata()
                            .addNewRule()
                            .withApiGroups("")
                            .withResources("persistentvolumeclaims", "persistentvolumes")
                            .withVerbs("list", "watch")
                            .endRule()
                            .addNewRule()
                            .withApiGroups("storage.k8s.io")
                            .withResources("storageclasses")
                            .withVerbs("list", "watch")
                            .endRule()
                            .build())
                    .create();
            admin.resource(new ClusterRoleBindingBuilder()
                            .withNewMetadata()
                            .withName(role)
                            .endMetadata()
                            .withNewRoleRef()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("ClusterRole")
                            .withName(role)
                            .endRoleRef()
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName("qshard-migrate")
                            .withNamespace(LocalControlPlane.SERVICE_ACCOUNT_NAMESPACE)
                            .endSubject()
                            .build())
                    .create();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(seen.sources.get().claimsUsable()).isTrue();
                assertThat(seen.sources.get().csiNodes()).isEqualTo(forbidden); // not granted: no CSI limits
            });
            assertThat(informers.forbiddenVolumes()).containsExactly("csinodes.storage.k8s.io");
        } finally {
            admin.rbac().clusterRoleBindings().withName(role).delete();
            admin.rbac().clusterRoles().withName(role).delete();
        }
    }

    /** What reached the listener; a deletion is recorded as an empty Optional. */
    private static final class Recorder implements ClusterEventListener {
        final Map<String, Optional<VolumeClaim>> claims = new ConcurrentHashMap<>();
        final Map<String, Optional<PersistentVolume>> volumes = new ConcurrentHashMap<>();
        final Map<String, Optional<StorageClass>> classes = new ConcurrentHashMap<>();
        final Map<String, Optional<CsiNodeLimits>> csiNodes = new ConcurrentHashMap<>();
        final AtomicReference<VolumeSources> sources = new AtomicReference<>();
        /** The keys delivered when each source was first told READY. */
        final AtomicReference<Set<String>> claimsAtReady = new AtomicReference<>();

        final AtomicReference<Set<String>> volumesAtReady = new AtomicReference<>();
        final AtomicReference<Set<String>> classesAtReady = new AtomicReference<>();
        final AtomicReference<Set<String>> csiNodesAtReady = new AtomicReference<>();

        @Override
        public boolean readsVolumes() {
            return true;
        }

        @Override
        public void claim(String namespace, String name, VolumeClaim claim) {
            claims.put(namespace + "/" + name, Optional.ofNullable(claim));
        }

        @Override
        public void persistentVolume(String name, PersistentVolume volume) {
            volumes.put(name, Optional.ofNullable(volume));
        }

        @Override
        public void storageClass(String name, StorageClass storageClass) {
            classes.put(name, Optional.ofNullable(storageClass));
        }

        @Override
        public void csiNode(String name, CsiNodeLimits limits) {
            csiNodes.put(name, Optional.ofNullable(limits));
        }

        @Override
        public void volumeSources(VolumeSources s) {
            sources.set(s);
            atReady(s.claims(), claimsAtReady, claims);
            atReady(s.volumes(), volumesAtReady, volumes);
            atReady(s.classes(), classesAtReady, classes);
            atReady(s.csiNodes(), csiNodesAtReady, csiNodes);
        }

        private static void atReady(VolumeSources.State s, AtomicReference<Set<String>> at, Map<String, ?> delivered) {
            if (s == VolumeSources.State.READY && at.get() == null) {
                at.set(Set.copyOf(delivered.keySet()));
            }
        }

        @Override
        public void nodeUpserted(Node node) {}

        @Override
        public void nodeDeleted(String name) {}

        @Override
        public void podUpserted(PodRequest pod, boolean finished, boolean deleting) {}

        @Override
        public void podDeleted(String uid) {}
    }

    /** A 1 GiB ReadWriteOnce claim of class {@code sc}. */
    private static io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim(String ns, String name, String sc) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName(sc)
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build();
    }
}
