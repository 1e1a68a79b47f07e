package io.qshard.core.model;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One pod (anti-)affinity term: the pods it selects and the topology domain they share with the node. Immutable.
 *
 * @param selector          which pods, by labels ({@link LabelSelector#NOTHING} when the term has none)
 * @param namespaces        namespaces the selected pods may be in; the converter fills in the owning pod's own
 *                          namespace when the object lists none and has no {@code namespaceSelector}
 * @param namespaceSelector namespaces selected by their labels, or null when the object has none (an empty selector
 *                          selects every namespace); ORed with {@code namespaces}
 * @param topologyKey       node label whose value defines the domain, e.g. {@code kubernetes.io/hostname}
 */
public record PodAffinityTerm(
        LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector, String topologyKey) {
    public PodAffinityTerm {
        Objects.requireNonNull(selector, "selector");
        namespaces = Set.copyOf(namespaces);
        Objects.requireNonNull(topologyKey, "topologyKey");
    }

    /**
     * Whether a pod in {@code namespace} with {@code labels} is selected by this term.
     *
     * @param namespaceLabels labels of a namespace (empty when unknown); read only when the term has a
     *                        {@code namespaceSelector}
     */
    public boolean matches(
            String namespace, Map<String, String> labels, Function<String, Map<String, String>> namespaceLabels) {
        return selects(namespace, namespaceLabels) && selector.matches(labels);
    }

    /** Whether pods of {@code namespace} are in this term's scope (before their labels are looked at). */
    public boolean selects(String namespace, Function<String, Map<String, String>> namespaceLabels) {
        return namespaces.contains(namespace)
                || namespaceSelector != null && namespaceSelector.matches(namespaceLabels.apply(namespace));
    }
}
