package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.Resources;
import java.util.List;
import java.util.Map;

/**
 * The fields of a Pod that scheduling reads, as decoded by {@link PodJsonReader} (everything else in the
 * JSON is skipped). Immutable apart from the fabric8 affinity/toleration objects, which are never mutated.
 *
 * @param namespace         namespace
 * @param name              name
 * @param uid               uid
 * @param resourceVersion   resourceVersion
 * @param creationTimestamp RFC 3339, or null
 * @param deleting          has a deletionTimestamp
 * @param owner             controller owner, or null
 * @param schedulerName     spec.schedulerName
 * @param nodeName          spec.nodeName, or null
 * @param priority          spec.priority, or null
 * @param nodeSelector      spec.nodeSelector (empty if none)
 * @param affinity          spec.affinity, or null
 * @param tolerations       spec.tolerations (empty if none)
 * @param requests          effective requests: max(Σ containers, max init container) + overhead, pods = 1
 * @param phase             status.phase, or null
 */
public record RawPod(
        String namespace,
        String name,
        String uid,
        String resourceVersion,
        String creationTimestamp,
        boolean deleting,
        OwnerRef owner,
        String schedulerName,
        String nodeName,
        Integer priority,
        Map<String, String> nodeSelector,
        Affinity affinity,
        List<Toleration> tolerations,
        Resources requests,
        String phase) {

    /** Succeeded or Failed: no longer uses resources. */
    public boolean finished() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
