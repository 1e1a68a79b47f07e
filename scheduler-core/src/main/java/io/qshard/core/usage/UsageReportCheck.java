package io.qshard.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the CRD schema cannot reject: a report for a node this scheduler does not know, a figure beyond
 * {@link #MAX_FIGURE}, one from the future (beyond the allowed clock skew), or per-tier usage adding up to more than the
 * node's. Such a report is skipped — the node
 * keeps its previous view and falls back to the conservative one when that goes stale — and counted in a metric by
 * the caller. Stateless and thread-safe.
 */
public final class UsageReportCheck {
    /** Default tolerated clock skew between reporter and scheduler: 30 s. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
    /**
     * The largest usage figure taken, milli-cores or bytes: 2^53 (about 9 × 10^15 — 9 × 10^12 cores, or 8 PiB).
     * The CRD schema admits any int64 ≥ 0; a figure beyond this is a broken reporter, and sums of such figures would
     * overflow the pool arithmetic.
     */
    public static final long MAX_FIGURE = 1L << 53;
    /** Tier sums may exceed the node's usage by this share (they are sampled separately). */
    public static final double TIER_SUM_TOLERANCE = 0.10;

    private final Duration skew;

    /** A check with the default skew. */
    public UsageReportCheck() {
        this(DEFAULT_SKEW);
    }

    /** @param skew tolerated clock skew, ≥ 0 */
    public UsageReportCheck(Duration skew) {
        this.skew = skew;
    }

    /**
     * @param report    the report
     * @param knownNode whether a node name is one of this scheduler's nodes
     * @param now       the scheduler's clock
     * @return the reason to skip the report, or empty when it is usable
     */
    public Optional<String> problem(UsageReport report, Predicate<String> knownNode, Instant now) {
        if (!knownNode.test(report.node())) {
            return Optional.of("NodeUsage " + report.node() + ": no such node");
        }
        Optional<String> absurd = beyondBound(report);
        if (absurd.isPresent()) {
            return absurd;
        }
        if (report.timestamp().isAfter(now.plus(skew))) {
            return Optional.of("NodeUsage " + report.node() + ": timestamp " + report.timestamp()
                    + " is in the future (now " + now + ", skew allowed " + skew.toSeconds() + " s)");
        }
        Usage sum = report.tiers().values().stream().reduce(Usage.ZERO, Usage::plus);
        Usage allowed = report.nodeUsage().times(1 + TIER_SUM_TOLERANCE).plus(new Usage(100, 64L << 20));
        if (sum.milliCpu() > allowed.milliCpu() || sum.memoryBytes() > allowed.memoryBytes()) {
            return Optional.of("NodeUsage " + report.node() + ": tiers add up to " + sum.milliCpu() + "m / "
                    + sum.memoryBytes() + " B, more than the node's "
                    + report.nodeUsage().milliCpu() + "m / "
                    + report.nodeUsage().memoryBytes() + " B");
        }
        return Optional.empty();
    }

    /** The first figure above {@link #MAX_FIGURE}, named by its field in the NodeUsage status. */
    private static Optional<String> beyondBound(UsageReport report) {
        String over = over("status.node", report.nodeUsage());
        for (var t : report.tiers().entrySet()) {
            over = over != null ? over : over("status.tiers[" + t.getKey() + "]", t.getValue());
        }
        return over == null
                ? Optional.empty()
                : Optional.of("NodeUsage " + report.node() + ": " + over + " is beyond the sane bound " + MAX_FIGURE
                        + " (2^53); the report is skipped");
    }

    private static String over(String field, Usage u) {
        if (u.milliCpu() > MAX_FIGURE) {
            return field + ".cpuMilli = " + u.milliCpu();
        }
        if (u.memoryBytes() > MAX_FIGURE) {
            return field + ".memoryBytes = " + u.memoryBytes();
        }
        return null;
    }
}
