package io.qshard.cli.parity;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod of a parity case looks like, independent of the scheduler that will place it and of the real namespace
 * names (namespaces are logical: {@code own}, {@code other}, {@code third}; the run maps them to fresh namespaces).
 * Immutable; the builder-style methods ({@code labels}, {@code in}, {@code affinity}, {@code spread}, …) return copies.
 *
 * @param namespace    logical namespace of the pod
 * @param labels       the pod's labels
 * @param affinity     its pod (anti-)affinity terms
 * @param spread       its topology spread constraints, in order
 * @param nodeSelector spec.nodeSelector (empty: none)
 * @param nodeIn       required node affinity "&lt;key&gt; In (values)" (null: none)
 * @param milliCpu     cpu request in milli-cores; memory is 4 GiB per core, the fixture nodes' ratio
 * @param owned        owned by the case's ReplicaSet (ownerReference, controller=true)
 */
record Shape(
        String namespace,
        Map<String, String> labels,
        Affinity affinity,
        List<Spread> spread,
        Map<String, String> nodeSelector,
        NodeIn nodeIn,
        long milliCpu,
        boolean owned) {
    static final String HOST = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String OWN = "own";
    static final String OTHER = "other";
    static final String THIRD = "third";
    /** Requests of a probe: 4 cores, 16 GiB — large enough that node size separates resource scores clearly. */
    static final long PROBE_MILLI_CPU = 4000;
    /** Requests of an existing pod: 250m, 1 GiB. */
    static final long EXISTING_MILLI_CPU = 250;

    Shape {
        labels = Map.copyOf(labels);
        spread = List.copyOf(spread);
        nodeSelector = Map.copyOf(nodeSelector);
    }

    /** A probe: own namespace, labels {@code app=probe}, no terms, probe-sized. */
    static Shape probe() {
        return new Shape(OWN, Map.of("app", "probe"), Affinity.NONE, List.of(), Map.of(), null, PROBE_MILLI_CPU, false);
    }

    /** An existing pod with these labels (key, value, key, value, …): own namespace, existing-pod-sized. */
    static Shape pod(String... kv) {
        return new Shape(OWN, pairs(kv), Affinity.NONE, List.of(), Map.of(), null, EXISTING_MILLI_CPU, false);
    }

    Shape labels(String... kv) {
        return new Shape(namespace, pairs(kv), affinity, spread, nodeSelector, nodeIn, milliCpu, owned);
    }

    Shape in(String logicalNamespace) {
        return new Shape(logicalNamespace, labels, affinity, spread, nodeSelector, nodeIn, milliCpu, owned);
    }

    Shape affinity(Affinity a) {
        return new Shape(namespace, labels, a, spread, nodeSelector, nodeIn, milliCpu, owned);
    }

    Shape spread(Spread... s) {
        return new Shape(namespace, labels, affinity, List.of(s), nodeSelector, nodeIn, milliCpu, owned);
    }

    Shape nodeSelector(String key, String value) {
        return new Shape(namespace, labels, affinity, spread, Map.of(key, value), nodeIn, milliCpu, owned);
    }

    /** Required node affinity: the zone label in {@code zones}. */
    Shape zoneIn(String... zones) {
        return new Shape(
                namespace, labels, affinity, spread, nodeSelector, new NodeIn(ZONE, List.of(zones)), milliCpu, owned);
    }

    /** Required node affinity: the hostname label in {@code nodes}. */
    Shape hostIn(String... nodes) {
        return new Shape(
                namespace, labels, affinity, spread, nodeSelector, new NodeIn(HOST, List.of(nodes)), milliCpu, owned);
    }

    Shape ownedByReplicaSet() {
        return new Shape(namespace, labels, affinity, spread, nodeSelector, nodeIn, milliCpu, true);
    }

    static Map<String, String> pairs(String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key, value pairs");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * One pod (anti-)affinity term: a label selector (match labels and expressions), a topology key and the logical
     * namespaces it selects in (empty: the pod's own).
     */
    record Term(
            String topologyKey,
            Map<String, String> matchLabels,
            List<LabelSelectorRequirement> expressions,
            List<String> namespaces) {
        Term {
            matchLabels = Map.copyOf(matchLabels);
            expressions = List.copyOf(expressions);
            namespaces = List.copyOf(namespaces);
        }

        /** Selects pods with these labels (key, value, …) in the pod's own namespace. */
        static Term of(String topologyKey, String... kv) {
            return new Term(topologyKey, pairs(kv), List.of(), List.of());
        }

        /** Selects pods whose label {@code key} satisfies {@code operator} over {@code values}. */
        static Term expr(String topologyKey, String key, String operator, String... values) {
            LabelSelectorRequirement r = new LabelSelectorRequirementBuilder()
                    .withKey(key)
                    .withOperator(operator)
                    .withValues(values.length == 0 ? null : List.of(values))
                    .build();
            return new Term(topologyKey, Map.of(), List.of(r), List.of());
        }

        /** This term with an explicit namespaces list (logical names). */
        Term namespaces(String... logical) {
            return new Term(topologyKey, matchLabels, expressions, List.of(logical));
        }
    }

    /** A required node affinity term: {@code key In (values)}. */
    record NodeIn(String key, List<String> values) {
        NodeIn {
            values = List.copyOf(values);
        }
    }

    /** A preferred term and its weight (1..100). */
    record Weighted(int weight, Term term) {}

    /** The four kinds of pod (anti-)affinity terms; {@link #NONE} has none. */
    record Affinity(
            List<Term> required, List<Weighted> preferred, List<Term> requiredAnti, List<Weighted> preferredAnti) {
        static final Affinity NONE = new Affinity(List.of(), List.of(), List.of(), List.of());

        static Affinity required(Term... t) {
            return NONE.andRequired(t);
        }

        static Affinity requiredAnti(Term... t) {
            return NONE.andRequiredAnti(t);
        }

        static Affinity preferred(Weighted... w) {
            return new Affinity(List.of(), List.of(w), List.of(), List.of());
        }

        static Affinity preferredAnti(Weighted... w) {
            return new Affinity(List.of(), List.of(), List.of(), List.of(w));
        }

        Affinity andRequired(Term... t) {
            List<Term> r = new ArrayList<>(required);
            r.addAll(List.of(t));
            return new Affinity(r, preferred, requiredAnti, preferredAnti);
        }

        Affinity andRequiredAnti(Term... t) {
            List<Term> r = new ArrayList<>(requiredAnti);
            r.addAll(List.of(t));
            return new Affinity(required, preferred, r, preferredAnti);
        }

        Affinity andPreferredAnti(Weighted... w) {
            List<Weighted> r = new ArrayList<>(preferredAnti);
            r.addAll(List.of(w));
            return new Affinity(required, preferred, requiredAnti, r);
        }

        boolean isEmpty() {
            return required.isEmpty() && preferred.isEmpty() && requiredAnti.isEmpty() && preferredAnti.isEmpty();
        }
    }

    /** A topology spread constraint selecting pods by match labels (key, value, …). */
    record Spread(int maxSkew, String topologyKey, boolean doNotSchedule, Map<String, String> matchLabels) {
        static Spread dns(int maxSkew, String key, String... kv) {
            return new Spread(maxSkew, key, true, pairs(kv));
        }

        static Spread anyway(int maxSkew, String key, String... kv) {
            return new Spread(maxSkew, key, false, pairs(kv));
        }
    }
}
