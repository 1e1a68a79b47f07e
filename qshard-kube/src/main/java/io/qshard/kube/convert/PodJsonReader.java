package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes a Pod's JSON straight from the parser into a {@link RawPod}, reading only what scheduling needs:
 * metadata identity and labels, the spec's scheduling fields and container requests, and the phase. Everything
 * else — managedFields, annotations, images, env, volumes, status conditions — is skipped by the parser without
 * building objects, which is most of the cost of a watch event. Node affinity, rare, is bound with the fabric8
 * model; pod (anti-)affinity and topology spread constraints are streamed into core records ({@link
 * PodTopologyReader}). Thread-safe (stateless; the mapper is immutable).
 */
public final class PodJsonReader {
    /** Mapper for parsers and for the few sub-objects bound with the fabric8 model. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // sub-objects are bound mid-stream
            .build();

    private static final int N = 5;

    private PodJsonReader() {}

    /** Reads one Pod object; the parser must be positioned on its START_OBJECT and is left on its END_OBJECT. */
    public static RawPod read(JsonParser p) {
        Builder b = new Builder();
        expect(p.currentToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "metadata" -> metadata(p, b);
                case "spec" -> spec(p, b);
                case "status" -> status(p, b);
                default -> p.skipChildren();
            }
            if (v == null) {
                throw new IllegalArgumentException("truncated pod JSON");
            }
        }
        return b.build();
    }

    private static void metadata(JsonParser p, Builder b) {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "name" -> b.name = p.getString();
                case "namespace" -> b.namespace = p.getString();
                case "uid" -> b.uid = p.getString();
                case "resourceVersion" -> b.resourceVersion = p.getString();
                case "creationTimestamp" -> b.created = p.getString();
                case "deletionTimestamp" -> b.deleting = p.currentToken() != JsonToken.VALUE_NULL;
                case "ownerReferences" -> b.owner = owner(p);
                case "labels" -> b.labels = labels(p);
                default -> p.skipChildren();
            }
        }
    }

    private static OwnerRef owner(JsonParser p) {
        OwnerRef controller = null;
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String kind = null;
            String name = null;
            String uid = null;
            boolean isController = false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "kind" -> kind = p.getString();
                    case "name" -> name = p.getString();
                    case "uid" -> uid = p.getString();
                    case "controller" -> isController = p.currentToken() == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            if (isController) {
                controller = new OwnerRef(kind, name, uid);
            }
        }
        return controller;
    }

    private static void spec(JsonParser p, Builder b) {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "schedulerName" -> b.schedulerName = p.getString();
                case "nodeName" -> b.nodeName = p.getString();
                case "priority" -> b.priority = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getIntValue();
                case "nodeSelector" -> b.nodeSelector = stringMap(p);
                case "affinity" -> affinity(p, b);
                case "topologySpreadConstraints" -> b.topology().spread(p);
                case "tolerations" -> b.tolerations = tolerations(p);
                case "containers" -> containers(p, b.sum, false);
                case "initContainers" -> containers(p, b.init, true);
                case "overhead" -> b.overhead = quantities(p, new long[N]);
                default -> p.skipChildren();
            }
        }
    }

    private static void affinity(JsonParser p, Builder b) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "nodeAffinity" ->
                    b.nodeAffinity = v == JsonToken.VALUE_NULL ? null : MAPPER.readValue(p, NodeAffinity.class);
                case "podAffinity" -> b.topology().podAffinity(p, false);
                case "podAntiAffinity" -> b.topology().podAffinity(p, true);
                default -> p.skipChildren();
            }
        }
    }

    /** {@code metadata.labels}, immutable; entries with a null value are dropped. */
    private static Map<String, String> labels(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> m = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            p.nextToken();
            String v = p.getValueAsString();
            if (v != null) {
                if (m == null) {
                    m = new HashMap<>();
                }
                m.put(k, v);
            } else {
                p.skipChildren();
            }
        }
        return m == null ? Map.of() : Map.copyOf(m);
    }

    private static List<Toleration> tolerations(JsonParser p) {
        List<Toleration> out = new ArrayList<>();
        if (p.currentToken() == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
                out.add(toleration(p));
            }
        } else {
            p.skipChildren();
        }
        return out;
    }

    /**
     * One toleration, field by field: every pod carries the two default ones (not-ready, unreachable), and binding
     * them with the model cost a third of a watch event's decode.
     */
    static Toleration toleration(JsonParser p) {
        Toleration t = new Toleration();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "key" -> t.setKey(text(p, v));
                case "operator" -> t.setOperator(text(p, v));
                case "value" -> t.setValue(text(p, v));
                case "effect" -> t.setEffect(text(p, v));
                case "tolerationSeconds" ->
                    t.setTolerationSeconds(v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null);
                default -> p.skipChildren();
            }
        }
        return t;
    }

    private static String text(JsonParser p, JsonToken v) {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("expected a string in a toleration, found " + v);
        }
        return p.getString();
    }

    /** Adds each container's requests into {@code into} (sum), or keeps the per-resource max for init containers. */
    private static void containers(JsonParser p, long[] into, boolean max) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            long[] one = new long[N];
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                p.nextToken();
                if ("resources".equals(f) && p.currentToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String g = p.currentName();
                        p.nextToken();
                        if ("requests".equals(g)) {
                            quantities(p, one);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            for (int i = 0; i < N; i++) {
                into[i] = max ? Math.max(into[i], one[i]) : into[i] + one[i];
            }
        }
    }

    private static long[] quantities(JsonParser p, long[] into) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return into;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            String value = p.getValueAsString();
            switch (name) {
                case ResourceNames.CPU -> into[0] += Quantities.milli(new Quantity(value));
                case ResourceNames.MEMORY -> into[1] += Quantities.value(new Quantity(value));
                case ResourceNames.BATCH_CPU -> into[3] += Quantities.value(new Quantity(value));
                case ResourceNames.BATCH_MEMORY -> into[4] += Quantities.value(new Quantity(value));
                default -> {
                    // other resources (ephemeral-storage, GPUs…) are not scheduled by qshard
                }
            }
        }
        return into;
    }

    private static Map<String, String> stringMap(JsonParser p) {
        Map<String, String> m = new HashMap<>();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return m;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            p.nextToken();
            m.put(k, p.getValueAsString());
        }
        return m;
    }

    private static void status(JsonParser p, Builder b) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("phase".equals(f)) {
                b.phase = p.getString();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + " but found " + actual);
        }
    }

    private static final class Builder {
        String namespace;
        String name;
        String uid;
        String resourceVersion;
        String created;
        boolean deleting;
        OwnerRef owner;
        String schedulerName;
        String nodeName;
        Integer priority;
        Map<String, String> nodeSelector = Map.of();
        Map<String, String> labels = Map.of();
        NodeAffinity nodeAffinity;
        PodTopologyReader topology;
        List<Toleration> tolerations = List.of();
        final long[] sum = new long[N];
        final long[] init = new long[N];
        long[] overhead;
        String phase;

        PodTopologyReader topology() {
            if (topology == null) {
                topology = new PodTopologyReader();
            }
            return topology;
        }

        RawPod build() {
            if (name == null || uid == null) {
                throw new IllegalArgumentException("pod without metadata.name or metadata.uid");
            }
            long[] r = new long[N];
            for (int i = 0; i < N; i++) {
                r[i] = Math.max(sum[i], init[i]) + (overhead == null ? 0 : overhead[i]);
            }
            return new RawPod(
                    namespace,
                    name,
                    uid,
                    resourceVersion,
                    created,
                    deleting,
                    owner,
                    schedulerName,
                    nodeName == null || nodeName.isEmpty() ? null : nodeName,
                    priority,
                    nodeSelector,
                    nodeAffinity,
                    tolerations,
                    new Resources(r[0], r[1], 1, r[3], r[4]),
                    phase,
                    labels,
                    topology == null ? PodAffinity.NONE : topology.podAffinity(namespace),
                    topology == null ? List.of() : topology.spread(labels),
                    topology == null ? null : topology.invalid());
        }
    }
}
