package io.qshard.controllers.replicas;

import io.qshard.core.model.PodRequest;
import io.qshard.core.replicas.WorkloadKey;
import java.time.Instant;
import java.util.Map;

/**
 * What replica hosting keeps of one workload object ({@link WorkloadReader}): compact, no API types. Immutable.
 *
 * @param key             the workload
 * @param uid             its uid
 * @param apiVersion      "apps/v1"
 * @param resourceVersion the object's resourceVersion (the writes' precondition)
 * @param generation      metadata.generation (0 when absent)
 * @param replicas        spec.replicas (absent reads as 1)
 * @param annotations     only its {@code qshard.io/replica*} annotations
 * @param ownerKind       the kind of its controller owner, or null when it has none
 * @param ownerUid        the uid of its controller owner, or null
 * @param template        its pod template as a pending pod (uid and name the workload's), or null when
 *                        {@code problem} says why not
 * @param problem         why the template does not convert, or null
 * @param created         its creation time ({@link Instant#EPOCH} when absent)
 */
public record WorkloadFacts(
        WorkloadKey key,
        String uid,
        String apiVersion,
        String resourceVersion,
        long generation,
        int replicas,
        Map<String, String> annotations,
        String ownerKind,
        String ownerUid,
        PodRequest template,
        String problem,
        Instant created) {
    public WorkloadFacts {
        annotations = Map.copyOf(annotations);
    }

    /** @return whether it has a controller owner (an owned ReplicaSet: its annotations are copies, skipped silently) */
    public boolean owned() {
        return ownerUid != null;
    }
}
