package io.qshard.core.replicas;

import java.util.Objects;

/**
 * Identifies a workload with a scale subresource. Immutable.
 *
 * @param namespace namespace
 * @param group     API group ("apps"; "" for the core group)
 * @param kind      kind ("Deployment")
 * @param name      name
 */
public record WorkloadKey(String namespace, String group, String kind, String name) {
    public WorkloadKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** "Deployment shop/etl". */
    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
