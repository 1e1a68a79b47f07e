package io.qshard.cli.parity2;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;

/**
 * Builders of the storage API objects the volume cases use: StorageClasses without a provisioner, PersistentVolumes
 * (local with node affinity on the hostname label, hostPath with a zone label, CSI) of 10 GiB with reclaim policy
 * Retain, and 5 GiB ReadWriteOnce claims. A PV given a claim reference and a claim given a volume name are pre-bound:
 * the PV controller completes the binding. Stateless.
 */
final class StorageObjects {
    static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
    /** The fake CSI driver of the attach-limit cases. */
    static final String CSI_DRIVER = "csi.parity.example.com";

    private StorageObjects() {}

    static StorageClass storageClass(String name, boolean waitForFirstConsumer) {
        return new StorageClassBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withProvisioner(NO_PROVISIONER)
                .withVolumeBindingMode(waitForFirstConsumer ? "WaitForFirstConsumer" : "Immediate")
                .build();
    }

    /** A local PV usable only on nodes whose {@code kubernetes.io/hostname} label is {@code hostname}. */
    static PersistentVolume localPv(String name, String storageClass, String hostname, ObjectReference claim) {
        return base(name, storageClass, claim)
                .editSpec()
                .withNewLocal()
                .withPath("/mnt/" + name)
                .endLocal()
                .withNewNodeAffinity()
                .withNewRequired()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey(ResourceCluster.HOSTNAME)
                .withOperator("In")
                .withValues(hostname)
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequired()
                .endNodeAffinity()
                .endSpec()
                .build();
    }

    /** A hostPath PV labelled with a zone ({@code topology.kubernetes.io/zone}), without node affinity. */
    static PersistentVolume zonePv(String name, String storageClass, String zone, ObjectReference claim) {
        return base(name, storageClass, claim)
                .editMetadata()
                .withLabels(Map.of(ResourceCluster.ZONE, zone))
                .endMetadata()
                .editSpec()
                .withNewHostPath()
                .withPath("/mnt/" + name)
                .endHostPath()
                .endSpec()
                .build();
    }

    /** A PV of {@link #CSI_DRIVER} with this volume handle. */
    static PersistentVolume csiPv(String name, String storageClass, String handle, ObjectReference claim) {
        return base(name, storageClass, claim)
                .editSpec()
                .withNewCsi()
                .withDriver(CSI_DRIVER)
                .withVolumeHandle(handle)
                .endCsi()
                .endSpec()
                .build();
    }

    /** A 5 GiB ReadWriteOnce claim; {@code volumeName} pre-binds it (null: unbound). */
    static PersistentVolumeClaim claim(String namespace, String name, String storageClass, String volumeName) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withVolumeName(volumeName)
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("5Gi")))
                .endResources()
                .endSpec()
                .build();
    }

    /** A claim reference for pre-binding a PV. */
    static ObjectReference claimRef(String namespace, String name) {
        return new ObjectReferenceBuilder()
                .withKind("PersistentVolumeClaim")
                .withApiVersion("v1")
                .withNamespace(namespace)
                .withName(name)
                .build();
    }

    private static PersistentVolumeBuilder base(String name, String storageClass, ObjectReference claim) {
        return new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("10Gi")))
                .withAccessModes(List.of("ReadWriteOnce"))
                .withPersistentVolumeReclaimPolicy("Retain")
                .withStorageClassName(storageClass)
                .withClaimRef(claim)
                .endSpec();
    }
}
