package io.qshard.kube.informer;

import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.usage.UsageReport;

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
}
