package io.qshard.agent.cgroup;

import java.util.Objects;

/**
 * One pod's cgroup as found in the kubepods hierarchy. Immutable.
 *
 * @param uid      the pod's uid (with dashes, as the API has it)
 * @param qos      its QoS class, from where the directory sits
 * @param relative its path below the hierarchy root of a controller (v1) or the unified root (v2)
 */
public record PodCgroup(String uid, QosClass qos, String relative) {
    public PodCgroup {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(relative, "relative");
    }
}
