package io.qshard.shard.kube;

import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;

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

    /** The informers (re-)listed and are in sync again; {@code relists} counts lists after the first. */
    default void synced(int relists) {
    }
}
