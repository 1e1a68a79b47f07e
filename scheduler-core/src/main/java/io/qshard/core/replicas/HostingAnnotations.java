package io.qshard.core.replicas;

import java.util.Map;

/**
 * The annotations of replica hosting on a workload: the owner's opt-in ({@value #HOSTING}, {@value #MIN},
 * {@value #MAX}) and the controller's bookkeeping ({@value #REQUEST}, {@value #SET}, {@value #SET_FROM},
 * {@value #CHANGED_AT}, {@value #REQUEST_CHANGED_AT}). Pure and thread-safe.
 */
public final class HostingAnnotations {
    /** {@code "true"} opts the workload in; absent or {@code "false"} does not; anything else is invalid. */
    public static final String HOSTING = "qshard.io/replica-hosting";
    /** Decimal integer ≥ 0, default {@value #DEFAULT_MIN}. */
    public static final String MIN = "qshard.io/replicas-min";
    /** Decimal integer, required when opted in, ≥ max(min, 1), ≤ the cap. */
    public static final String MAX = "qshard.io/replicas-max";
    /** R: the owner's request (bookkeeping). */
    public static final String REQUEST = "qshard.io/replicas-request";
    /** S: the replicas of the controller's last write (bookkeeping). */
    public static final String SET = "qshard.io/replicas-set";
    /** F: spec.replicas just before that write (bookkeeping). */
    public static final String SET_FROM = "qshard.io/replicas-set-from";
    /** RFC 3339 time of the controller's last change (bookkeeping). */
    public static final String CHANGED_AT = "qshard.io/replicas-changed-at";
    /** RFC 3339 time a manual change was seen (bookkeeping). */
    public static final String REQUEST_CHANGED_AT = "qshard.io/replicas-request-changed-at";
    /** The default of {@value #MIN}. */
    public static final int DEFAULT_MIN = 1;

    private HostingAnnotations() {}

    /**
     * The result of {@link #parse}.
     *
     * @param spec        the owner's spec ({@link HostingSpec#OFF} when not opted in or invalid)
     * @param problem     why the opt-in annotations are invalid, naming the annotation, or null
     * @param book        the bookkeeping, unparsable fields as null
     * @param bookProblem which bookkeeping annotation did not parse, or null
     */
    public record Parsed(HostingSpec spec, String problem, Bookkeeping book, String bookProblem) {}

    /**
     * @param annotations a workload's annotations (null reads as none)
     * @param cap         the largest max accepted ({@link HostingSettings#maxReplicasCap()})
     */
    public static Parsed parse(Map<String, String> annotations, int cap) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The merge-patch annotations that record {@code book} (null fields are removed: JSON null). */
    public static Map<String, String> patch(Bookkeeping book) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The merge-patch annotations that remove every bookkeeping annotation (each mapped to null). */
    public static Map<String, String> removal() {
        throw new UnsupportedOperationException("TODO");
    }
}
