package io.qshard.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.migrate.MigrationController;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.TierScheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The demo's clock and its live line: every 5 s one usage sample and one line — phase, cluster cpu (and prod's
 * part), hot nodes, pods bound per tier, pending, evictions, bindings per second and, with replica hosting, the
 * hosted replicas now / their owners' request ({@link HostingTally}, one look per tick). In the "after" phase it sums
 * the borrowing tiers' (mid, batch, free) pending pods × the seconds between two ticks: their pending pod-seconds.
 * Called from one thread.
 */
final class DemoProgress {
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Duration CHURN_EVERY = Duration.ofSeconds(30);

    private static final Set<String> BORROWERS = Set.of("mid", "batch", "free");

    private final SchedulerProcess schedulers;
    private final MigrationController migration;
    private final HostingTally hosting;
    private final KubernetesClient client;
    private final UsageSampler sampler;
    private final int nodes;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastBound;
    private double peakRate;
    private long lastTick = start;
    private double pendingPodSeconds;
    private double pendingSeconds;

    /** @param hosting what replica hosting did, looked at every tick with {@code client}; null when it is off */
    DemoProgress(
            SchedulerProcess schedulers,
            MigrationController migration,
            HostingTally hosting,
            KubernetesClient client,
            UsageSampler sampler,
            int nodes,
            PrintStream out) {
        this.schedulers = schedulers;
        this.migration = migration;
        this.hosting = hosting;
        this.client = client;
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
        long now = System.nanoTime();
        double seconds = (now - lastTick) / 1e9;
        lastTick = now;
        UsageSampler.Sample s = sampler.sample(elapsed(), phase);
        if (phase.equals(DemoRun.AFTER)) {
            pendingPodSeconds += borrowersPending() * seconds;
            pendingSeconds += seconds;
            if (hosting != null) {
                hosting.observe(client);
            }
        }
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
                        + "| pending %d | evicted %d | %4.0f binds/s%s%n",
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
                rate,
                hosting == null || hosting.workloads() == 0
                        ? ""
                        : " | hosted " + hosting.replicas() + "/" + hosting.requested());
    }

    /** Pending pods of mid, batch and free in the schedulers' queues now. */
    private long borrowersPending() {
        return schedulers.schedulers().stream()
                .filter(x -> BORROWERS.contains(x.tier().name()))
                .mapToLong(x -> x.queueSizes().pending())
                .sum();
    }

    /** Σ over the "after" phase's ticks of the borrowing tiers' pending pods × the tick's seconds. */
    double pendingPodSeconds() {
        return pendingPodSeconds;
    }

    /** The borrowing tiers' mean pending pods over the "after" phase (0 before it). */
    double meanPending() {
        return pendingSeconds == 0 ? 0 : pendingPodSeconds / pendingSeconds;
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
