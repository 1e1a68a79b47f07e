package io.qshard.core.framework;

import java.util.Objects;

/**
 * What a {@link PostFilterPlugin} found for a pod no node fit. Immutable.
 *
 * @param status        SUCCESS when it nominated a node; UNSCHEDULABLE/UNRESOLVABLE with reasons otherwise
 * @param nominatedNode the node the pod should get once room is made, or null
 */
public record PostFilterResult(Status status, String nominatedNode) {
    /** Nothing to offer. */
    public static final PostFilterResult NONE =
            new PostFilterResult(Status.unschedulable("PostFilter", "no post-filter"), null);

    public PostFilterResult {
        Objects.requireNonNull(status, "status");
        if (status.isSuccess() != (nominatedNode != null)) {
            throw new IllegalArgumentException("a successful post-filter nominates a node, and only then");
        }
    }

    /** A nomination. */
    public static PostFilterResult nominate(String node) {
        return new PostFilterResult(Status.SUCCESS, Objects.requireNonNull(node, "node"));
    }
}
