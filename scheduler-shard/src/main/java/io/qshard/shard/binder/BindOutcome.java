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
        /**
         * 409 "pod X is already assigned to node N", N the node asked for (an earlier attempt whose answer was lost):
         * the placement stands, counted as bound.
         */
        ALREADY_BOUND,
        /**
         * 409 "already assigned" to another node (another scheduler, or an earlier attempt of ours to another node):
         * release this placement at once and drop the pod; the informer accounts it where it is.
         */
        BOUND_ELSEWHERE,
        /**
         * 404, or 409 for a pod being deleted or re-created under another uid (the binding's uid precondition): the
         * pod this binding was for is gone: forget it.
         */
        POD_GONE,
        /**
         * Anything else (5xx, 429, timeout, connection loss, any other 409 or 422 — e.g. a pod that still has
         * scheduling gates on 1.26+): forget the assumption and retry with backoff.
         */
        FAILED,
        /** Never sent — abandoned while waiting for a slot (leadership lost, binder closed): forget the assumption. */
        NOT_SENT
    }
}
