package io.qshard.controllers.oversale;

import io.qshard.kube.api.OversaleRatio;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * How the oversale controller sets one resource's ratio on one node (the seed's "dynamic, periodic" oversale, with
 * its risks handled). Pure and thread-safe.
 * <pre>
 * room     = realAllocatable × targetUtilization − predicted peak usage      (≥ 0; unknown usage → no room)
 * wanted   = clamp(1 + room / realAllocatable, 1, max)
 * floor    = Σ requests of bound pods / realAllocatable   — lowering never takes allocatable below them
 * lowering: max(wanted, current − maxStep, floor)          raising: min(wanted, current + maxStep)
 * </pre>
 * A ratio changes at most once per {@code minInterval}, by at least 0.01, rounded to 0.01 (down when raising, up
 * when lowering). An invalid current ratio (hand-edited: ≤ 0, NaN, above max, not a number) is replaced at once.
 *
 * @param max               largest ratio, [1, {@value OversaleRatio#ABSOLUTE_MAX}]
 * @param targetUtilization peakCap as a fraction of real allocatable, (0, 1]
 * @param maxStep           largest change per step, (0, 1]
 * @param minInterval       least time between two changes of a node's ratios
 */
public record RatioPolicy(double max, double targetUtilization, double maxStep, Duration minInterval) {
    public static final double DEFAULT_MAX_STEP = 0.1;
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(10);

    /** @throws IllegalArgumentException naming the setting out of range */
    public RatioPolicy {
        OversaleRatio.checkMax("max ratio", max);
        if (!(targetUtilization > 0 && targetUtilization <= 1)) {
            throw new IllegalArgumentException("targetUtilization must be in (0, 1], was " + targetUtilization);
        }
        if (!(maxStep > 0 && maxStep <= 1)) {
            throw new IllegalArgumentException("--max-step must be in (0, 1], was " + maxStep);
        }
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("--min-interval must be >= 0");
        }
    }

    /**
     * One resource of one node.
     *
     * @param realAllocatable real allocatable (milli-cores or bytes), > 0
     * @param requested       Σ requests of the pods bound to the node
     * @param predictedPeak   predicted peak usage over the horizon, or -1 when unknown (no fresh report)
     * @param current         the ratio annotation's value, or null when absent
     * @param lastChange      when the controller last changed this node's ratios, or null
     * @param now             the controller's clock
     * @return the new ratio, or null to leave it
     * @throws IllegalArgumentException naming {@code realAllocatable} when it is not &gt; 0 (no ratio of nothing)
     */
    public Double next(
            long realAllocatable, long requested, long predictedPeak, String current, Instant lastChange, Instant now) {
        if (realAllocatable <= 0) { // room / 0 would be NaN, which BigDecimal refuses with a NumberFormatException
            throw new IllegalArgumentException("realAllocatable must be > 0, was " + realAllocatable);
        }
        var parsed = OversaleRatio.parse(current, max);
        boolean invalid = parsed.isPresent() && !parsed.get().valid();
        double cur = parsed.isPresent() && parsed.get().valid() ? parsed.get().ratio() : 1.0;
        if (!invalid && lastChange != null && Duration.between(lastChange, now).compareTo(minInterval) < 0) {
            return null;
        }
        double room = predictedPeak < 0 ? 0 : Math.max(0, realAllocatable * targetUtilization - predictedPeak);
        double wanted = Math.min(max, 1 + room / realAllocatable);
        double floor = (double) requested / realAllocatable;
        double next;
        if (wanted < cur) {
            next = Math.min(cur, Math.max(wanted, Math.max(cur - maxStep, floor)));
            next = round(next, RoundingMode.CEILING);
        } else {
            next = round(Math.min(wanted, cur + maxStep), RoundingMode.FLOOR);
        }
        next = Math.max(1.0, Math.min(max, next));
        if (invalid) {
            return next;
        }
        return Math.abs(next - cur) >= 0.01 - 1e-9 ? next : null;
    }

    private static double round(double v, RoundingMode mode) {
        return BigDecimal.valueOf(v).setScale(2, mode).doubleValue();
    }
}
