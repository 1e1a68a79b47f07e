package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.Resources;
import io.qshard.core.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * The fields of a Pod that scheduling reads, as decoded by {@link PodJsonReader} (everything else in the
 * JSON is skipped). Immutable apart from the fabric8 node affinity/toleration objects, which are never mutated.
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
 * @param nodeAffinity      spec.affinity.nodeAffinity, or null
 * @param tolerations       spec.tolerations (empty if none)
 * @param requests          effective requests: max(Σ containers and sidecars, max init container need) + overhead, pods
 *                          = 1, every resource ({@link PodSpecReader})
 * @param phase             status.phase, or null
 * @param labels            metadata.labels (empty if none)
 * @param podAffinity       spec.affinity.podAffinity/podAntiAffinity; a term listing no namespace and no
 *                          namespaceSelector is scoped to the pod's own namespace
 * @param spread            spec.topologySpreadConstraints, API defaults applied, matchLabelKeys folded into each
 *                          selector
 * @param invalid           the first value of those fields the API would reject, as {@code field: what}, or null;
 *                          {@link PodConverter} refuses such a pod when pending, and keeps it without those fields
 *                          when bound
 * @param details           non-zero requests, host ports, volumes, images and scheduling gates, and what scheduling
 *                          ignores ({@link PodDetails#NONE} for none; a bound pod keeps no images and nothing ignored),
 *                          {@code spec.preemptionPolicy: Never} and {@code status.nominatedNodeName}
 * @param startTime         status.startTime (RFC 3339), or null while no kubelet has started it
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
        NodeAffinity nodeAffinity,
        List<Toleration> tolerations,
        Resources requests,
        String phase,
        Map<String, String> labels,
        PodAffinity podAffinity,
        List<TopologySpreadConstraint> spread,
        String invalid,
        PodDetails details,
        String startTime) {

    /** Succeeded or Failed: no longer uses resources. */
    public boolean finished() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
