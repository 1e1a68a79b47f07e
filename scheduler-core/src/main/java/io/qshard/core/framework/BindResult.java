package io.qshard.core.framework;

import java.util.Objects;

/**
 * The outcome of a binding cycle (PreBind → Bind). Immutable.
 *
 * @param code    what happened
 * @param message details for logs (empty on success)
 */
public record BindResult(Code code, String message) {
    /** The shared success value. */
    public static final BindResult BOUND = new BindResult(Code.BOUND, "");

    public BindResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** What happened to a binding. */
    public enum Code {
        /** Written: the pod is bound to the node. */
        BOUND,
        /**
         * The pod was bound already, to this very node (an earlier attempt whose answer was lost, or another writer
         * that chose the same node): the placement stands.
         */
        ALREADY_BOUND,
        /** The pod was bound already, to another node: this placement is undone; the informer says where it is. */
        BOUND_ELSEWHERE,
        /** The pod no longer exists (deleted, being deleted, or re-created under a new uid). */
        POD_GONE,
        /** Abandoned before it was written (leadership lost, shutdown): the pod is still pending. */
        NOT_SENT,
        /** Refused or failed (PreBind or Bind): retried with backoff. */
        FAILED
    }

    /** Whether the placement stands (BOUND, or bound already): no unreserve. */
    public boolean placed() {
        return code == Code.BOUND || code == Code.ALREADY_BOUND;
    }

    public static BindResult failed(String message) {
        return new BindResult(Code.FAILED, message);
    }
}
