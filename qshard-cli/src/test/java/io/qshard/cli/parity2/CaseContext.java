package io.qshard.cli.parity2;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API objects of one case besides its pods: created in the case's namespace (claims) or cluster-wide under names
 * prefixed with that unique namespace (StorageClasses, PVs, RuntimeClasses, CSINodes), and removed again by
 * {@link #cleanUp()} — claims and PVs with their protection finalizers stripped, as no controller removes them here.
 * Not thread-safe.
 */
final class CaseContext {
    static final Duration BIND_DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final String NO_FINALIZERS = "{\"metadata\":{\"finalizers\":null}}";

    private final KubernetesClient admin;
    private final String namespace;
    private final List<HasMetadata> created = new ArrayList<>();

    CaseContext(KubernetesClient admin, String namespace) {
        this.admin = admin;
        this.namespace = namespace;
    }

    KubernetesClient admin() {
        return admin;
    }

    String namespace() {
        return namespace;
    }

    /** A cluster-wide name unique to this case. */
    String global(String suffix) {
        return namespace + "-" + suffix;
    }

    /** Whether this case created StorageClasses, PVs or claims so far. */
    boolean createdStorage() {
        return created.stream()
                .anyMatch(o -> o instanceof StorageClass
                        || o instanceof PersistentVolume
                        || o instanceof PersistentVolumeClaim);
    }

    /** Creates {@code o} and remembers it for {@link #cleanUp()}. */
    void create(HasMetadata o) {
        created.add(admin.resource(o).create());
    }

    /** A claim {@code claim} pre-bound to a local PV on the node whose hostname label is {@code hostname}; bound. */
    void boundLocal(String claim, String hostname) {
        String sc = immediateClass();
        create(StorageObjects.localPv(global(claim), sc, hostname, StorageObjects.claimRef(namespace, claim)));
        create(StorageObjects.claim(namespace, claim, sc, global(claim)));
        awaitBound(claim);
    }

    /** A claim pre-bound to a hostPath PV labelled with {@code zone}; bound. */
    void boundZone(String claim, String zone) {
        String sc = immediateClass();
        create(StorageObjects.zonePv(global(claim), sc, zone, StorageObjects.claimRef(namespace, claim)));
        create(StorageObjects.claim(namespace, claim, sc, global(claim)));
        awaitBound(claim);
    }

    /** A claim pre-bound to a CSI PV of {@link StorageObjects#CSI_DRIVER} with its own volume handle; bound. */
    void boundCsi(String claim) {
        String sc = immediateClass();
        create(StorageObjects.csiPv(
                global(claim), sc, global(claim) + "-handle", StorageObjects.claimRef(namespace, claim)));
        create(StorageObjects.claim(namespace, claim, sc, global(claim)));
        awaitBound(claim);
    }

    /** An unbound claim of an Immediate class that no PV matches: it stays Pending. */
    void pendingImmediate(String claim) {
        String sc = immediateClass();
        create(StorageObjects.claim(namespace, claim, sc, null));
    }

    /** A RuntimeClass (handler runc) whose {@code overhead.podFixed} is this cpu and memory. */
    void runtimeClass(String name, String cpu, String memory) {
        create(new RuntimeClassBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withHandler("runc")
                .withNewOverhead()
                .withPodFixed(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .endOverhead()
                .build());
    }

    /** A CSINode for {@code node} reporting {@link StorageObjects#CSI_DRIVER} with an attach limit of {@code count}. */
    void csiNode(String node, int count) {
        create(new CSINodeBuilder()
                .withNewMetadata()
                .withName(node)
                .endMetadata()
                .withNewSpec()
                .addNewDriver()
                .withName(StorageObjects.CSI_DRIVER)
                .withNodeID(node)
                .withNewAllocatable()
                .withCount(count)
                .endAllocatable()
                .endDriver()
                .endSpec()
                .build());
    }

    /** Waits until the PV controller has bound {@code claim} (phase Bound, bind-completed annotation). */
    PersistentVolumeClaim awaitBound(String claim) {
        return await("claim " + namespace + "/" + claim + " bound")
                .atMost(BIND_DEADLINE)
                .pollInterval(POLL)
                .until(
                        () -> admin.persistentVolumeClaims()
                                .inNamespace(namespace)
                                .withName(claim)
                                .get(),
                        c -> c != null
                                && c.getStatus() != null
                                && "Bound".equals(c.getStatus().getPhase())
                                && c.getMetadata().getAnnotations() != null
                                && c.getMetadata().getAnnotations().containsKey("pv.kubernetes.io/bind-completed"));
    }

    /** Deletes what this case created, claims and PVs without their protection finalizers. */
    void cleanUp() {
        for (PersistentVolumeClaim c :
                admin.persistentVolumeClaims().inNamespace(namespace).list().getItems()) {
            unprotectAndDelete(c);
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            HasMetadata o = created.get(i);
            if (o instanceof PersistentVolume || o instanceof PersistentVolumeClaim) {
                unprotectAndDelete(o);
            } else {
                admin.resource(o).delete();
            }
        }
        created.clear();
    }

    private void unprotectAndDelete(HasMetadata o) {
        try {
            admin.resource(o).patch(PatchContext.of(PatchType.JSON_MERGE), NO_FINALIZERS);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        admin.resource(o).delete();
    }

    private String immediateClass() {
        String name = global("immediate");
        if (created.stream().noneMatch(o -> o.getMetadata().getName().equals(name))) {
            create(StorageObjects.storageClass(name, false));
        }
        return name;
    }
}
