package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.qshard.kube.client.KubeconfigResolver;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica hosting's writes (docs/architecture.md, "Replica hosting", write order), optimistic and crash-safe: first
 * one JSON merge patch of the bookkeeping annotations with the informer's resourceVersion as precondition (sent through
 * a stub: no GET first), then, when the replicas change, one PUT of the {@code scale} subresource with the
 * resourceVersion that patch returned — so a change made by anyone in between fails with 409 instead of being
 * overwritten. When the scale fails otherwise (403, 422, an admission policy's refusal), the annotations are patched
 * back to {@code undo} (the bookkeeping before), so the workload does not look like a scale that did not land, nor,
 * later, like an owner's revert. RBAC: {@code patch} on the kind, {@code update} and {@code get} on its {@code
 * /scale} (the get only to retry a PUT a status write refused). Stateless; thread-safe.
 */
final class ReplicaWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaWriter.class);

    /** What a write came to. */
    enum Outcome {
        /** Both writes (or the patch alone when the replicas stay) were accepted. */
        WRITTEN,
        /** A resourceVersion precondition failed (409): re-read next cycle. */
        CONFLICT,
        /** The object is gone (404). */
        GONE,
        /** Any other failure: retried next cycle. */
        FAILED
    }

    /**
     * A write's outcome.
     *
     * @param outcome what it came to
     * @param error   the failed step and the apiserver's message (one line), or null when written
     */
    record Result(Outcome outcome, String error) {
        static final Result WRITTEN = new Result(Outcome.WRITTEN, null);
    }

    private final KubernetesClient client;

    ReplicaWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param f           the workload as last seen (name, uid, resourceVersion)
     * @param annotations the annotations to merge (a null value removes one)
     * @param replicas    the replicas to set through the scale subresource, or null to write the annotations only
     * @param undo        the annotations to merge back when the scale fails other than by 409 or 404, or null
     */
    Result write(
            WorkloadFacts f,
            WorkloadKind kind,
            Map<String, String> annotations,
            Integer replicas,
            Map<String, String> undo) {
        var ops = client.genericKubernetesResources(context(kind))
                .inNamespace(f.key().namespace());
        GenericKubernetesResource stub = new GenericKubernetesResource();
        stub.setApiVersion(kind.apiVersion());
        stub.setKind(kind.kind());
        stub.setMetadata(new ObjectMetaBuilder()
                .withNamespace(f.key().namespace())
                .withName(f.key().name())
                .build());
        String rv;
        try {
            GenericKubernetesResource patched = ops.resource(stub)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), body(f.resourceVersion(), annotations));
            rv = patched.getMetadata().getResourceVersion();
        } catch (KubernetesClientException e) {
            return failed(f, "annotations", e);
        }
        if (replicas == null) {
            return Result.WRITTEN;
        }
        Scale scale = new ScaleBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(f.key().namespace())
                        .withName(f.key().name())
                        .withResourceVersion(rv)
                        .build())
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .build();
        try {
            putScale(ops.withName(f.key().name()), scale, f.replicas());
            return Result.WRITTEN;
        } catch (KubernetesClientException e) {
            Result r = failed(f, "scale", e);
            if (r.outcome() == Outcome.FAILED && undo != null) {
                try {
                    ops.resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE), body(rv, undo));
                } catch (KubernetesClientException u) {
                    LOG.warn(
                            "{}: cannot put its bookkeeping back after the failed scale: {}",
                            f.key(),
                            KubeconfigResolver.oneLine(u));
                }
            }
            return r;
        }
    }

    /**
     * PUTs {@code scale}. A 409 is retried (at most {@value #SCALE_RETRIES} times) with a fresh resourceVersion only
     * while the Scale still has {@code expected} replicas, the value the decision was made on: the annotation patch
     * bumps a Deployment's generation, and its controller's status write in between refuses the PUT; a replicas change
     * by anyone else ends the retries with the 409, so it is never overwritten.
     */
    static void putScale(
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> target, Scale scale, int expected) {
        for (int attempt = 0; ; attempt++) {
            try {
                target.scale(scale);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= SCALE_RETRIES) {
                    throw e;
                }
                Scale now = target.scale();
                Integer replicas = now == null || now.getSpec() == null
                        ? null
                        : now.getSpec().getReplicas();
                if (replicas == null || replicas != expected) {
                    throw e;
                }
                scale.getMetadata().setResourceVersion(now.getMetadata().getResourceVersion());
            }
        }
    }

    /** How many times a scale refused by a status write in between is retried. */
    static final int SCALE_RETRIES = 3;

    private static Result failed(WorkloadFacts f, String what, KubernetesClientException e) {
        if (e.getCode() == 409) {
            LOG.info("{}: {} write refused, it changed meanwhile (next cycle re-reads it)", f.key(), what);
            return new Result(Outcome.CONFLICT, what + ": 409 conflict");
        }
        if (e.getCode() == 404) {
            return new Result(Outcome.GONE, what + ": 404 gone");
        }
        String error = what + ": " + KubeconfigResolver.oneLine(e);
        LOG.warn("{}: cannot write its {}", f.key(), error);
        return new Result(Outcome.FAILED, error);
    }

    static ResourceDefinitionContext context(WorkloadKind kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(kind.group())
                .withVersion(kind.version())
                .withPlural(kind.plural())
                .withKind(kind.kind())
                .withNamespaced(true)
                .build();
    }

    /** {@code {"metadata":{"resourceVersion":rv,"annotations":{…}}}}, keys sorted, nulls as JSON null. */
    static String body(String resourceVersion, Map<String, String> annotations) {
        StringBuilder b = new StringBuilder("{\"metadata\":{");
        if (resourceVersion != null) {
            b.append("\"resourceVersion\":").append(quote(resourceVersion)).append(',');
        }
        b.append("\"annotations\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(quote(e.getKey())).append(':').append(e.getValue() == null ? "null" : quote(e.getValue()));
        }
        return b.append("}}}").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
