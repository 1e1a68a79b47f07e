package io.qshard.controllers.replicas;

import io.qshard.core.replicas.Bookkeeping;
import io.qshard.core.replicas.HostedWorkload;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.Recommendation;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.core.replicas.WorkloadKey;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ReplicaController} writes for a decision (docs/architecture.md, "Replica hosting", never fight an
 * owner): a change (bookkeeping, then scale, then the Event), a manual change taken as the new request (bookkeeping
 * only, the Event), an opt-out (back to the request, then the bookkeeping removed). In dry-run it logs and counts
 * ({@code result="dry_run"}) and writes nothing. Every outcome is counted. A change or restore that fails other than by
 * a conflict backs off ({@link WriteBackoff}: the period, doubling, at most the manual hold; a change decided
 * meanwhile is not written), and from the second failure in a row the Warning {@code ReplicaHostingFailed} carries the
 * apiserver's message. The controller's loop thread only.
 */
final class ReplicaActions {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaController.class);

    private final ReplicaSettings settings;
    private final ReplicaWriter writer;
    private final ReplicaEvents events;
    private final Function<WorkloadKey, WorkloadKind> kinds;
    private final ReplicaMetrics metrics;
    private final LongAdder changes;
    private final LongAdder manual;
    private final LongAdder conflicts;
    private final LongAdder errors;
    private final WriteBackoff backoff;

    ReplicaActions(
            ReplicaSettings settings,
            ReplicaWriter writer,
            ReplicaEvents events,
            Function<WorkloadKey, WorkloadKind> kinds,
            ReplicaMetrics metrics,
            LongAdder changes,
            LongAdder manual,
            LongAdder conflicts,
            LongAdder errors) {
        this.settings = settings;
        this.writer = writer;
        this.events = events;
        this.kinds = kinds;
        this.metrics = metrics;
        this.changes = changes;
        this.manual = manual;
        this.conflicts = conflicts;
        this.errors = errors;
        this.backoff = new WriteBackoff(settings.period(), settings.hosting().manualHold());
    }

    /** @return whether writes to {@code key} are backing off at {@code now} after failures */
    boolean backingOff(WorkloadKey key, Instant now) {
        return backoff.blocked(key, now);
    }

    /** A MANUAL workload: R := S := C, request-changed-at := now (annotations only), Event, counted. */
    ReplicaDecision manualChange(WorkloadFacts f, HostedWorkload w, Recommendation rec, Instant now) {
        Instant until = now.plus(settings.hosting().manualHold());
        Bookkeeping book =
                new Bookkeeping(w.current(), w.current(), null, w.book().changedAt(), now);
        String outside = w.spec().clamp(w.current()) == w.current()
                ? ""
                : " (outside [" + w.spec().min() + ", " + w.spec().max() + "]: honoured during the hold, then "
                        + "moved to " + w.spec().clamp(w.current()) + ")";
        String message = "replicas changed from " + w.book().set() + " to " + w.current()
                + " outside qshard: taken as the new request; hosting resumes after "
                + settings.hosting().manualHold().toSeconds() + " s" + outside;
        if (settings.dryRun()) {
            LOG.info("dry-run: {}: {}", w.key(), message);
        } else {
            ReplicaWriter.Outcome o = writer.write(f, kinds.apply(w.key()), HostingAnnotations.patch(book), null, null)
                    .outcome();
            count(o);
            if (o == ReplicaWriter.Outcome.WRITTEN) {
                manual.increment();
                LOG.info("{}: {}", w.key(), message);
                events.normal(f, "ReplicasRequestChanged", message, now);
            }
        }
        return new ReplicaDecision(
                w.key(),
                w.tier(),
                w.spec(),
                w.current(),
                w.current(),
                w.bound(),
                w.pending(),
                rec.raw(),
                null,
                ReplicaDecision.Direction.HOLD,
                "hold: manual change at " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", held until "
                        + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    void apply(WorkloadFacts f, HostedWorkload w, ReplicaDecision d, Instant now) {
        int request = w.book().request() == null ? w.current() : w.book().request();
        Bookkeeping book =
                new Bookkeeping(request, d.next(), w.current(), now, w.book().requestChangedAt());
        String direction = d.direction().name().toLowerCase(Locale.ROOT);
        String message = d.why(); // "20 → 30 replicas: <the figures>; request 20, min 2, max 40, …"
        if (settings.dryRun()) {
            changes.increment();
            metrics.change(direction, "dry_run");
            LOG.info("dry-run: {}: would set {}", w.key(), message);
            return;
        }
        if (backoff.blocked(w.key(), now)) {
            LOG.debug("{}: not written, backing off after failed writes: {}", w.key(), message);
            return;
        }
        ReplicaWriter.Result r = writer.write(
                f, kinds.apply(w.key()), HostingAnnotations.patch(book), d.next(), HostingAnnotations.patch(w.book()));
        ReplicaWriter.Outcome o = r.outcome();
        metrics.change(direction, result(o));
        count(o);
        settle(f, r, now);
        if (o == ReplicaWriter.Outcome.WRITTEN) {
            changes.increment();
            LOG.info("{}: {}", w.key(), message);
            events.normal(f, d.next() > w.current() ? "ReplicasScaledUp" : "ReplicasScaledDown", message, now);
        }
    }

    /**
     * Opted out with bookkeeping left. If the controller's value stands (C == S, or C == F: its last scale did not
     * land) and differs from the request, first back to the request, written as a change (S := R, F := C), with the
     * Event; once C is the request or someone else's, the bookkeeping is removed (a patch alone). Two cycles, so a
     * failed scale never loses the request. {@code mayRestore} false (an HPA targets it now): the bookkeeping alone
     * is removed.
     */
    void optOut(WorkloadFacts f, Bookkeeping book, Instant now, boolean mayRestore) {
        int c = f.replicas();
        boolean ours = (book.set() != null && book.set() == c) || (book.setFrom() != null && book.setFrom() == c);
        boolean restore = mayRestore && ours && book.request() != null && book.request() != c;
        String message = restore
                ? c + " → " + book.request() + " replicas, the request: replica hosting ended"
                : "replica hosting ended: its bookkeeping removed";
        if (settings.dryRun()) {
            if (restore) {
                metrics.change("restore", "dry_run");
            }
            LOG.info("dry-run: {}: would write: {}", f.key(), message);
            return;
        }
        if (backoff.blocked(f.key(), now)) {
            LOG.debug("{}: not written, backing off after failed writes: {}", f.key(), message);
            return;
        }
        ReplicaWriter.Result r = restore
                ? writer.write(
                        f,
                        kinds.apply(f.key()),
                        HostingAnnotations.patch(new Bookkeeping(book.request(), book.request(), c, now, null)),
                        book.request(),
                        HostingAnnotations.patch(book))
                : writer.write(f, kinds.apply(f.key()), HostingAnnotations.removal(), null, null);
        ReplicaWriter.Outcome o = r.outcome();
        count(o);
        settle(f, r, now);
        if (restore) {
            metrics.change("restore", result(o));
        }
        if (o == ReplicaWriter.Outcome.WRITTEN) {
            LOG.info("{}: {}", f.key(), message);
            if (restore) {
                changes.increment();
                events.normal(f, "ReplicaHostingEnded", message, now);
            }
        }
    }

    /** Backs off after a failure (Warning from the second in a row); forgets the failures once written or gone. */
    private void settle(WorkloadFacts f, ReplicaWriter.Result r, Instant now) {
        switch (r.outcome()) {
            case WRITTEN, GONE -> backoff.succeeded(f.key());
            case CONFLICT -> {} // re-read and retried next cycle
            case FAILED -> {
                WriteBackoff.Failing failing = backoff.failed(f.key(), now);
                if (failing.count() >= 2) {
                    events.failed(
                            f,
                            r.error(),
                            "replica hosting cannot write it (" + failing.count() + " failures in a row, next try "
                                    + "after " + failing.until().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                    + "): " + r.error(),
                            now);
                }
            }
        }
    }

    private void count(ReplicaWriter.Outcome o) {
        switch (o) {
            case CONFLICT -> conflicts.increment();
            case FAILED -> errors.increment();
            default -> {}
        }
    }

    private static String result(ReplicaWriter.Outcome o) {
        return switch (o) {
            case WRITTEN -> "written";
            case CONFLICT -> "conflict";
            case GONE, FAILED -> "failed";
        };
    }
}
