package io.qshard.core.replicas;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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

    /** A replica count as the annotations write it: plain decimal digits (leading zeros read as decimal). */
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,6}");

    private static final List<String> BOOKKEEPING = List.of(REQUEST, SET, SET_FROM, CHANGED_AT, REQUEST_CHANGED_AT);

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
     * Reads the opt-in and the bookkeeping. Opted in only with {@value #HOSTING} exactly {@code "true"}, a {@value
     * #MAX} and an optional {@value #MIN} of 1–6 decimal digits (leading zeros read as decimal), max ≥ max(min, 1)
     * and ≤ {@code cap}; any other value of these three is a problem naming the annotation, and the spec is {@link
     * HostingSpec#OFF}. Without the opt-in ({@code "false"} or absent) min and max are not read. The bookkeeping is
     * read in every case (the opt-out needs it); a field that does not parse is null and named in bookProblem.
     *
     * @param annotations a workload's annotations (null reads as none)
     * @param cap         the largest max accepted ({@link HostingSettings#maxReplicasCap()})
     */
    public static Parsed parse(Map<String, String> annotations, int cap) {
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        List<String> bad = new ArrayList<>();
        Bookkeeping book = new Bookkeeping(
                count(a, REQUEST, bad),
                count(a, SET, bad),
                count(a, SET_FROM, bad),
                time(a, CHANGED_AT, bad),
                time(a, REQUEST_CHANGED_AT, bad));
        String bookProblem = bad.isEmpty() ? null : String.join("; ", bad);
        String hosting = a.get(HOSTING);
        if (hosting == null || hosting.equals("false")) {
            return new Parsed(HostingSpec.OFF, null, book, bookProblem);
        }
        if (!hosting.equals("true")) {
            return invalid(HOSTING + " must be \"true\" or \"false\", was " + quoted(hosting), book, bookProblem);
        }
        String minText = a.get(MIN);
        String maxText = a.get(MAX);
        if (minText != null && !COUNT.matcher(minText).matches()) {
            return invalid(notCount(MIN, minText), book, bookProblem);
        }
        if (maxText == null) {
            return invalid(MAX + " is required with " + HOSTING + "=true", book, bookProblem);
        }
        if (!COUNT.matcher(maxText).matches()) {
            return invalid(notCount(MAX, maxText), book, bookProblem);
        }
        int min = minText == null ? DEFAULT_MIN : Integer.parseInt(minText);
        int max = Integer.parseInt(maxText);
        if (max < 1) {
            return invalid(MAX + " must be >= 1, was " + max, book, bookProblem);
        }
        if (min > max) {
            return invalid(MIN + " " + min + " is above " + MAX + " " + max, book, bookProblem);
        }
        if (max > cap) {
            return invalid(MAX + " " + max + " is above the cap " + cap + " (--max-replicas-cap)", book, bookProblem);
        }
        return new Parsed(new HostingSpec(true, min, max), null, book, bookProblem);
    }

    /** The merge-patch annotations that record {@code book} (null fields are removed: JSON null). */
    public static Map<String, String> patch(Bookkeeping book) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(REQUEST, book.request() == null ? null : book.request().toString());
        m.put(SET, book.set() == null ? null : book.set().toString());
        m.put(SET_FROM, book.setFrom() == null ? null : book.setFrom().toString());
        m.put(CHANGED_AT, book.changedAt() == null ? null : book.changedAt().toString());
        m.put(
                REQUEST_CHANGED_AT,
                book.requestChangedAt() == null ? null : book.requestChangedAt().toString());
        return Collections.unmodifiableMap(m);
    }

    /** The merge-patch annotations that remove every bookkeeping annotation (each mapped to null). */
    public static Map<String, String> removal() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : BOOKKEEPING) {
            m.put(k, null);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Parsed invalid(String problem, Bookkeeping book, String bookProblem) {
        return new Parsed(HostingSpec.OFF, problem, book, bookProblem);
    }

    private static String notCount(String name, String value) {
        return name + " must be a decimal integer in [0, 999999], was " + quoted(value);
    }

    private static String quoted(String value) {
        String v = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "\"" + v + "\"";
    }

    /** A bookkeeping count, or null when absent or unparsable (then named in {@code bad}). */
    private static Integer count(Map<String, String> a, String name, List<String> bad) {
        String v = a.get(name);
        if (v == null) {
            return null;
        }
        if (!COUNT.matcher(v).matches()) {
            bad.add(notCount(name, v));
            return null;
        }
        return Integer.parseInt(v);
    }

    /** A bookkeeping RFC 3339 time, or null when absent or unparsable (then named in {@code bad}). */
    private static Instant time(Map<String, String> a, String name, List<String> bad) {
        String v = a.get(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            bad.add(name + " must be an RFC 3339 time, was " + quoted(v));
            return null;
        }
    }
}
