package io.qshard.core.replicas;

import io.qshard.core.replicas.ReplicaDecision.Direction;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds one workload's {@link ReplicaDecision}s and their one-line reasons for the governor. Immutable. */
final class Decisions {
    private final HostedWorkload w;
    private final Recommendation rec;
    private final int request;
    private final HostingSettings settings;

    Decisions(HostedWorkload w, Recommendation rec, int request, HostingSettings settings) {
        this.w = w;
        this.rec = rec;
        this.request = request;
        this.settings = settings;
    }

    ReplicaDecision hold(String reason) {
        return decision(null, Direction.HOLD, "hold: " + reason);
    }

    ReplicaDecision intervalHold(Instant changedAt) {
        return hold("min interval " + duration(settings.minInterval()) + " since last change at " + time(changedAt)
                + "; " + rec.why(w.tier()));
    }

    /** The recommendation's line; at max, "at max 40 (batch pool net 12.0 cores, band 3.2)": no room was looked for. */
    ReplicaDecision steady() {
        if (rec.kind() == Recommendation.Kind.STEADY && w.current() >= w.spec().max()) {
            return decision(
                    null,
                    Direction.STEADY,
                    "at max " + w.spec().max() + " (" + w.tier() + " pool net " + Recommendation.cores(rec.netBefore())
                            + " cores, band " + Recommendation.cores(rec.band()) + ")");
        }
        return decision(null, Direction.STEADY, rec.why(w.tier()));
    }

    /** "5 → 2 replicas: outside min 2, max 40; request 5". */
    ReplicaDecision range(int next) {
        return decision(
                next,
                Direction.RANGE,
                w.current() + " → " + next + " replicas: outside min "
                        + w.spec().min() + ", max " + w.spec().max() + "; request " + request);
    }

    /** "20 → 30 replicas: &lt;recommendation&gt;; request 20, min 2, max 40, step ≤ 10[, room held for 3m]". */
    ReplicaDecision change(Direction direction, int next) {
        String why = w.current() + " → " + next + " replicas: " + rec.why(w.tier()) + "; request " + request
                + ", min " + w.spec().min() + ", max " + w.spec().max() + ", step ≤ " + settings.step(w.current())
                + (direction == Direction.UP ? ", room held for " + duration(settings.upWindow()) : "");
        return decision(next, direction, why);
    }

    private ReplicaDecision decision(Integer next, Direction direction, String why) {
        return new ReplicaDecision(
                w.key(),
                w.tier(),
                w.spec(),
                request,
                w.current(),
                w.bound(),
                w.pending(),
                rec.raw(),
                next,
                direction,
                why);
    }

    /** RFC 3339 to the second: "2026-12-07T12:01:03Z". */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** "3m", "60s", "1h", "500ms": the largest unit that divides it. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0 && s >= 120) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
