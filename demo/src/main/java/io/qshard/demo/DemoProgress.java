package io.qshard.demo;

import io.qshard.controllers.migrate.MigrationController;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.TierScheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's clock and its live line: every 5 s one usage sample and one line — phase, cluster cpu (and prod's
 * part), hot nodes, pods bound per tier, pending, evictions, bindings per second. Called from one thread.
 */
final class DemoProgress {
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Duration CHURN_EVERY = Duration.ofSeconds(30);

    private final SchedulerProcess schedulers;
    private final MigrationController migration;
    private final UsageSampler sampler;
    private final int nodes;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastBound;
    private double peakRate;

    DemoProgress(
            SchedulerProcess schedulers,
            MigrationController migration,
            UsageSampler sampler,
            int nodes,
            PrintStream out) {
        this.schedulers = schedulers;
        this.migration = migration;
        this.sampler = sampler;
        this.nodes = nodes;
        this.out = out;
    }

    /** Ticks for {@code length}; with a workload, churns it every 30 s. */
    void runFor(String phase, Duration length, DemoWorkload churn) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        long nextChurn = System.nanoTime() + CHURN_EVERY.toNanos();
        while (System.nanoTime() < end) {
            tick(phase);
            if (churn != null && System.nanoTime() >= nextChurn) {
                churn.churn();
                nextChurn += CHURN_EVERY.toNanos();
            }
        }
    }

    /** Waits one tick (the demo's pacing, not a synchronisation), samples and prints the line. */
    void tick(String phase) throws InterruptedException {
        Thread.sleep(TICK.toMillis());
        UsageSampler.Sample s = sampler.sample(elapsed(), phase);
        long bound = totalBound();
        double rate = (bound - lastBound) / (double) TICK.toSeconds();
        lastBound = bound;
        peakRate = Math.max(peakRate, rate);
        long pending = schedulers.schedulers().stream()
                .mapToLong(x -> x.queueSizes().pending())
                .sum();
        out.printf(
                Locale.ROOT,
                "[%4.0fs] %-9s | cpu used %5.1f%% (prod %5.1f%%) | hot %3d/%d | bound prod %d mid %d batch %d free %d "
                        + "| pending %d | evicted %d | %4.0f binds/s%n",
                s.seconds(),
                phase,
                100 * s.cpu(),
                100 * s.prodCpu(),
                s.hotNodes(),
                nodes,
                bound("prod"),
                bound("mid"),
                bound("batch"),
                bound("free"),
                pending,
                migration.evicted.sum(),
                rate);
    }

    long bound(String tier) {
        return schedulers.schedulers().stream()
                .filter(x -> x.tier().name().equals(tier))
                .mapToLong(x -> x.metrics().bound.sum())
                .sum();
    }

    long totalBound() {
        return schedulers.schedulers().stream()
                .mapToLong((TierScheduler x) -> x.metrics().bound.sum())
                .sum();
    }

    double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    double peakRate() {
        return peakRate;
    }

    UsageSampler sampler() {
        return sampler;
    }
}
