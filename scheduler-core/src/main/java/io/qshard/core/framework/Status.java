package io.qshard.core.framework;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a plugin call. Expected rejections are values, not exceptions: a filter that finds a node
 * too small returns {@link Code#UNSCHEDULABLE} with a reason such as {@code "Insufficient cpu"}, which the
 * {@link Diagnosis} aggregates. Immutable.
 *
 * @param code    outcome
 * @param reasons human-readable reasons; aggregated across nodes by exact text, so keep node names out
 * @param plugin  the plugin that decided, or null for {@link #SUCCESS}
 */
public record Status(Code code, List<String> reasons, String plugin) {
    /** The shared success value (no allocation on the hot path). */
    public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
    /** From PreFilter / PreScore: this plugin has nothing to check for this pod; skip its Filter / Score. */
    public static final Status SKIP = new Status(Code.SKIP, List.of(), null);

    public Status {
        Objects.requireNonNull(code, "code");
        reasons = List.copyOf(reasons);
    }

    /** Outcome codes, as in kube-scheduler's framework. */
    public enum Code {
        /** The pod may go on the node / the step passed. */
        SUCCESS,
        /** Not now: the node may fit after cluster changes (resources freed). */
        UNSCHEDULABLE,
        /** Not on this node whatever changes on it (selector, taint, unschedulable). */
        UNRESOLVABLE,
        /** A bug or an unexpected condition; the pod is retried with backoff. */
        ERROR,
        /** PreFilter/PreScore only: the plugin's Filter/Score would be a no-op for this pod and is not called. */
        SKIP
    }

    public static Status unschedulable(String plugin, String reason) {
        return new Status(Code.UNSCHEDULABLE, List.of(reason), plugin);
    }

    public static Status unresolvable(String plugin, String reason) {
        return new Status(Code.UNRESOLVABLE, List.of(reason), plugin);
    }

    public static Status error(String plugin, String message) {
        return new Status(Code.ERROR, List.of(message), plugin);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    /** Reasons joined with "; ". */
    public String message() {
        return String.join("; ", reasons);
    }
}
