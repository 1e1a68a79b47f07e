package io.qshard.kube.informer;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.volume.CsiNodeLimits;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeSources;
import java.util.Map;

/**
 * What a scheduler instance hears from the informers, as core records. Called on informer threads:
 * implementations hand events to their own decision thread and return at once.
 */
public interface ClusterEventListener {
    void nodeUpserted(Node node);

    void nodeDeleted(String name);

    /**
     * A pod was added or changed.
     *
     * @param pod      the converted pod ({@code nodeName} set once bound)
     * @param finished phase Succeeded/Failed: it no longer uses resources
     * @param deleting it has a deletion timestamp: a pending one must not be scheduled
     */
    void podUpserted(PodRequest pod, boolean finished, boolean deleting);

    void podDeleted(String uid);

    /** A node's usage report arrived or changed (converted; not yet checked against this instance's nodes). */
    default void usageReported(UsageReport report) {}

    /** A node's usage report was deleted: that node falls back to the conservative view. */
    default void usageRemoved(String node) {}

    /** The informers (re-)listed and are in sync again; {@code relists} counts lists after the first. */
    default void synced(int relists) {}

    /**
     * Whether this listener needs what the topology plugins read besides pods and nodes — the calls below. When any
     * listener does, {@link ClusterInformers} also watches ReplicaSets, StatefulSets, ReplicationControllers, Services
     * and Namespaces (RBAC: list/watch on them; without it scheduling goes on without them and a warning says so).
     */
    default boolean readsTopology() {
        return false;
    }

    /**
     * A ReplicaSet's, StatefulSet's or ReplicationController's selector was seen or changed (it picks the default
     * spread constraints of the pods it controls, as in kube-scheduler's {@code DefaultSelector}), or the controller
     * is gone. As in kube-scheduler 1.20, every controller of a pod's namespace whose selector selects the pod counts,
     * owner or not.
     *
     * @param namespace the controller's namespace
     * @param uid      the controller's uid
     * @param selector its {@code spec.selector} ({@link LabelSelector#NOTHING} when it has none; a
     *                 ReplicationController's map as {@code matchLabels}), or null when the controller was deleted
     */
    default void controllerSelector(String namespace, String uid, LabelSelector selector) {}

    /**
     * A Service's selector was seen or changed, or the Service is gone.
     *
     * @param namespace its namespace
     * @param key       {@code namespace/name}
     * @param selector  its {@code spec.selector} (empty when it has none: it selects no pod), or null when deleted
     */
    default void serviceSelector(String namespace, String key, Map<String, String> selector) {}

    /**
     * A Namespace's labels were seen or changed, or the namespace is gone.
     *
     * @param namespace its name
     * @param labels    its labels (empty if none), or null when deleted
     */
    default void namespaceLabels(String namespace, Map<String, String> labels) {}

    /**
     * A PodDisruptionBudget was seen or changed ({@code budget}), or deleted (null); only for listeners that
     * {@link #readsTopology()}.
     */
    default void disruptionBudget(String namespace, String name, io.qshard.core.model.DisruptionBudget budget) {}

    /**
     * Whether this listener needs the volume objects — the calls below. When any listener does, {@link ClusterInformers}
     * also watches PersistentVolumeClaims, PersistentVolumes, StorageClasses and (when served) CSINodes (RBAC: list/watch
     * on them; without it pods with claims are refused with a clear reason and a warning says what is missing).
     */
    default boolean readsVolumes() {
        return false;
    }

    /**
     * A PersistentVolumeClaim was seen or changed (in what scheduling reads), or is gone.
     *
     * @param claim the converted claim, or null when deleted (or no longer convertible)
     */
    default void claim(String namespace, String name, VolumeClaim claim) {}

    /** A PersistentVolume was seen or changed, or is gone ({@code volume == null}). */
    default void persistentVolume(String name, PersistentVolume volume) {}

    /** A StorageClass was seen or changed, or is gone ({@code storageClass == null}). */
    default void storageClass(String name, StorageClass storageClass) {}

    /** A node's CSINode attach limits were seen or changed, or are gone ({@code limits == null}). */
    default void csiNode(String name, CsiNodeLimits limits) {}

    /** Which volume resources are listed, still waiting, forbidden by RBAC or not served changed. */
    default void volumeSources(VolumeSources sources) {}
}
