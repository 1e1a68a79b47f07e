package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.model.PodRequest;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.kube.convert.PodConverter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A workload object ({@link io.fabric8.kubernetes.api.model.GenericKubernetesResource} of any kind with a scale
 * subresource) → {@link WorkloadFacts}: {@code spec.replicas} (absent reads as 1 for the apps kinds, whose apiserver
 * defaults it; for any other kind it is a problem: its scale subresource may keep replicas elsewhere, which hosting
 * would misread as manual changes), its {@code qshard.io/replica*}
 * annotations, its controller owner, and its {@code spec.template} as a pending pod, converted by the schedulers'
 * {@link PodConverter} (effective requests, tier, pool rule, priority). The template is converted only for an object
 * that has such annotations and no controller owner (the only ones hosting may act on). Pure given the object;
 * thread-safe.
 */
public final class WorkloadReader {
    /** The prefix of every replica hosting annotation. */
    public static final String PREFIX = "qshard.io/replica";

    private final PodConverter pods;
    private final KubernetesSerialization json;

    public WorkloadReader(PodConverter pods, KubernetesSerialization json) {
        this.pods = pods;
        this.json = json;
    }

    /** @param kind the object's kind (its group names the key) */
    public WorkloadFacts read(GenericKubernetesResource o, WorkloadKind kind) {
        ObjectMeta meta = o.getMetadata();
        WorkloadKey key = new WorkloadKey(
                meta.getNamespace() == null ? "" : meta.getNamespace(), kind.group(), kind.kind(), meta.getName());
        Map<String, String> annotations = new HashMap<>();
        if (meta.getAnnotations() != null) {
            meta.getAnnotations().forEach((k, v) -> {
                if (k.startsWith(PREFIX) && v != null) {
                    annotations.put(k, v);
                }
            });
        }
        OwnerReference owner = meta.getOwnerReferences() == null
                ? null
                : meta.getOwnerReferences().stream()
                        .filter(r -> Boolean.TRUE.equals(r.getController()))
                        .findFirst()
                        .orElse(null);
        Instant created = created(meta.getCreationTimestamp());
        String problem = null;
        int replicas = 1;
        Object r = o.get("spec", "replicas");
        if (r instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE) {
            replicas = n.intValue();
        } else if (r != null) {
            problem = "spec.replicas " + r + " is not a replica count";
        } else if (!kind.group().equals("apps")) {
            problem = "spec.replicas is absent: replica hosting reads and writes replicas only at spec.replicas (the"
                    + " scale subresource's specReplicasPath must be .spec.replicas, and set)";
        }
        PodRequest template = null;
        if (owner == null && !annotations.isEmpty() && problem == null) {
            try {
                template = template(o, meta, key);
            } catch (RuntimeException e) {
                problem = "spec.template: " + e.getMessage();
            }
        }
        long generation = meta.getGeneration() == null ? 0 : meta.getGeneration();
        return new WorkloadFacts(
                key,
                meta.getUid(),
                o.getApiVersion(),
                meta.getResourceVersion(),
                generation,
                replicas,
                annotations,
                owner == null ? null : owner.getKind(),
                owner == null ? null : owner.getUid(),
                template,
                problem,
                created);
    }

    private static Instant created(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH; // orders ties only
        }
    }

    private PodRequest template(GenericKubernetesResource o, ObjectMeta meta, WorkloadKey key) {
        Object t = o.get("spec", "template");
        if (!(t instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("absent: the kind has no pod template at spec.template");
        }
        PodTemplateSpec spec = json.convertValue(t, PodTemplateSpec.class);
        if (spec.getSpec() == null
                || spec.getSpec().getContainers() == null
                || spec.getSpec().getContainers().isEmpty()) {
            throw new IllegalArgumentException("no containers");
        }
        spec.getSpec().setNodeName(null);
        Pod pod = new Pod();
        pod.setMetadata(new ObjectMetaBuilder()
                .withNamespace(key.namespace())
                .withName(key.name())
                .withUid(meta.getUid())
                .withLabels(
                        spec.getMetadata() == null ? null : spec.getMetadata().getLabels())
                .withCreationTimestamp(meta.getCreationTimestamp())
                .build());
        pod.setSpec(spec.getSpec());
        return pods.convert(pod, json);
    }
}
