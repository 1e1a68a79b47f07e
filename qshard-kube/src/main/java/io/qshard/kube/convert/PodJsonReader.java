package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes a Pod's JSON straight from the parser into a {@link RawPod}, reading only what scheduling needs:
 * metadata identity and labels, the spec's scheduling fields, container requests, host ports and images, the volumes
 * scheduling reads, scheduling gates, and the phase. Everything else — managedFields, annotations, env, other volume
 * sources, status conditions — is skipped by the parser without building objects, which is most of the cost of a
 * watch event. Node affinity, rare, is bound with the fabric8 model; pod (anti-)affinity and topology spread
 * constraints are streamed into core records ({@link PodTopologyReader}); requests and the rest of {@link
 * io.qshard.core.model.PodDetails} by {@link PodSpecReader} (no map for a pod asking only for cpu and memory).
 * Thread-safe (stateless; the mapper is immutable).
 */
public final class PodJsonReader {
    /** Mapper for parsers and for the few sub-objects bound with the fabric8 model. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // sub-objects are bound mid-stream
            .build();

    /** Label values and toleration strings, shared by the pods that repeat them. */
    private static final StringCache VALUES = new StringCache(8192);

    /** Scratch for up to 5 labels while a pod's labels are read. */
    private static final ThreadLocal<String[]> LABELS = ThreadLocal.withInitial(() -> new String[10]);

    private PodJsonReader() {}

    /**
     * Reads one Pod object; the parser must be positioned on its START_OBJECT and is left on its END_OBJECT.
     *
     * @throws RuntimeException naming what could not be decoded (the parser is then somewhere inside the object)
     */
    public static RawPod read(JsonParser p) {
        Builder b = new Builder();
        fields(p, b);
        return b.build();
    }

    /**
     * Reads one Pod object as {@link #read(JsonParser)} does, but a pod the decoder refuses (a value of the wrong type,
     * a negative quantity, a field the core records refuse…) is no exception: {@code undecodable} is told what could be
     * read of its identity (its {@code metadata} is looked for in the rest of the object when the refusal came first)
     * and why, null is returned, and the parser is left on the pod's END_OBJECT all the same, so that the objects
     * around it are read on. JSON that ends inside the object throws (nothing can be read past it); JSON that is not
     * well-formed (which no apiserver serves) is read on as far as the parser can.
     *
     * @param undecodable told, on the calling thread, about a pod that is not returned
     * @return the pod, or null when {@code undecodable} was told
     */
    public static RawPod read(JsonParser p, Consumer<UndecodablePod> undecodable) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonToken t = p.currentToken();
            p.skipChildren();
            undecodable.accept(new UndecodablePod(null, null, null, null, "expected a pod object, found " + t));
            return null;
        }
        int depth = p.streamReadContext().getNestingDepth(); // the pod object's: its fields' values are one deeper
        Builder b = new Builder();
        try {
            fields(p, b);
        } catch (RuntimeException e) {
            rest(p, depth, b);
            undecodable.accept(b.undecodable(e));
            return null;
        }
        try {
            return b.build();
        } catch (RuntimeException e) {
            undecodable.accept(b.undecodable(e));
            return null;
        }
    }

    private static void fields(JsonParser p, Builder b) {
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
    }

    /**
     * After a refusal somewhere inside the pod object at nesting {@code depth}: climbs back to the object's own level
     * and reads the fields left, {@code metadata} only if its uid was not read yet, up to the object's END_OBJECT.
     */
    private static void rest(JsonParser p, int depth, Builder b) {
        climb(p, depth);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("metadata".equals(f) && b.uid == null) {
                try {
                    metadata(p, b);
                } catch (RuntimeException e) {
                    climb(p, depth); // keeps what it read before the bad value
                }
            } else {
                p.skipChildren();
            }
        }
        if (t == null) {
            throw new IllegalArgumentException("truncated pod JSON");
        }
    }

    /** Advances to the last token of the pod field whose value the parser is inside (nothing when it is on one). */
    private static void climb(JsonParser p, int depth) {
        while (p.streamReadContext().getNestingDepth() > depth) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("truncated pod JSON");
            }
        }
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
                case "preemptionPolicy" -> b.preemptNever = "Never".equals(p.getValueAsString());
                case "nodeSelector" -> b.nodeSelector = stringMap(p);
                case "affinity" -> affinity(p, b);
                case "topologySpreadConstraints" -> b.topology().spread(p);
                case "tolerations" -> b.tolerations = tolerations(p);
                case "containers" -> b.spec.containers(p, false);
                case "initContainers" -> b.spec.containers(p, true);
                case "overhead" -> b.spec.overhead(p);
                case "volumes" -> PodVolumesReader.volumes(p, b.spec);
                case "schedulingGates" -> b.spec.more().gates(p);
                case "resourceClaims" -> b.spec.more().resourceClaims(p);
                case "resources" -> b.spec.podResources(p);
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

    /**
     * {@code metadata.labels}, immutable; entries with a null value are dropped. Values repeat across the replicas of a
     * workload, so they come from {@link #VALUES}; up to 5 labels are collected in a scratch array and made into one
     * {@code Map.of} (no HashMap on the way).
     */
    private static Map<String, String> labels(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        String[] kv = LABELS.get();
        int n = 0;
        Map<String, String> more = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            String v = t == JsonToken.VALUE_STRING ? VALUES.get(p) : p.getValueAsString();
            if (v == null) {
                p.skipChildren();
            } else if (more == null && n < kv.length) {
                kv[n++] = k;
                kv[n++] = v;
            } else {
                if (more == null) {
                    more = new HashMap<>();
                    for (int i = 0; i < n; i += 2) {
                        more.put(kv[i], kv[i + 1]);
                    }
                }
                more.put(k, v);
            }
        }
        Map<String, String> m = more != null ? Map.copyOf(more) : labelMap(kv, n);
        java.util.Arrays.fill(kv, 0, n, null);
        return m;
    }

    private static Map<String, String> labelMap(String[] kv, int n) {
        try {
            return switch (n / 2) {
                case 0 -> Map.of();
                case 1 -> Map.of(kv[0], kv[1]);
                case 2 -> Map.of(kv[0], kv[1], kv[2], kv[3]);
                case 3 -> Map.of(kv[0], kv[1], kv[2], kv[3], kv[4], kv[5]);
                case 4 -> Map.of(kv[0], kv[1], kv[2], kv[3], kv[4], kv[5], kv[6], kv[7]);
                default -> Map.of(kv[0], kv[1], kv[2], kv[3], kv[4], kv[5], kv[6], kv[7], kv[8], kv[9]);
            };
        } catch (IllegalArgumentException duplicate) { // a key twice (not from an apiserver): the last one wins
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < n; i += 2) {
                m.put(kv[i], kv[i + 1]);
            }
            return Map.copyOf(m);
        }
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
        return VALUES.get(p); // every pod repeats the default tolerations' strings
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
            switch (f) {
                case "phase" -> b.phase = p.getString();
                case "startTime" -> b.startTime = p.getValueAsString();
                case "nominatedNodeName" -> b.nominatedNode = p.getValueAsString();
                default -> p.skipChildren();
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
        final PodSpecReader spec = new PodSpecReader();
        String phase;
        String startTime;
        String nominatedNode;
        boolean preemptNever;

        PodTopologyReader topology() {
            if (topology == null) {
                topology = new PodTopologyReader();
            }
            return topology;
        }

        UndecodablePod undecodable(RuntimeException why) {
            String reason = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage();
            return new UndecodablePod(namespace, name, uid, resourceVersion, reason.replace('\n', ' '));
        }

        RawPod build() {
            if (name == null || uid == null) {
                throw new IllegalArgumentException("pod without metadata.name or metadata.uid");
            }
            Resources requests = spec.effectiveRequests();
            boolean bound = nodeName != null && !nodeName.isEmpty();
            return new RawPod(
                    namespace,
                    name,
                    uid,
                    resourceVersion,
                    created,
                    deleting,
                    owner,
                    schedulerName,
                    bound ? nodeName : null,
                    priority,
                    nodeSelector,
                    nodeAffinity,
                    tolerations,
                    requests,
                    phase,
                    labels,
                    topology == null ? PodAffinity.NONE : topology.podAffinity(namespace),
                    topology == null ? List.of() : topology.spread(labels),
                    topology == null ? null : topology.invalid(),
                    spec.details(name, requests, bound).withPreemption(preemptNever, nominatedNode),
                    startTime);
        }
    }
}
