package io.qshard.shard.binder;

/**
 * The result of one binding request.
 *
 * @param kind    what happened
 * @param message the apiserver's message or the client error, empty on success
 */
public record BindOutcome(Kind kind, String message) {
    public static final BindOutcome BOUND = new BindOutcome(Kind.BOUND, "");

    /** Outcome kinds and what the scheduler does with each. */
    public enum Kind {
        /** 201: the pod is bound. */
        BOUND,
        /** 409: the pod is already bound (by an earlier attempt or another scheduler): drop it. */
        ALREADY_BOUND,
        /** 404: the pod no longer exists: forget it. */
        POD_GONE,
        /** Anything else (5xx, 429, timeout, connection loss): forget the assumption and retry with backoff. */
        FAILED,
        /** Never sent — abandoned while waiting for a slot (leadership lost, binder closed): forget the assumption. */
        NOT_SENT
    }
}
