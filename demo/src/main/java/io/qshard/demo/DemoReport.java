package io.qshard.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.migrate.MigrationController;
import io.qshard.controllers.replicas.ReplicaController;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.TierScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The demo's final report: utilisation before and after, pods per tier, the borrowing tiers' pending pod-seconds,
 * replica hosting, hot node-time, scheduling throughput and latency, migration, and where the chart is. Immutable once built; {@link #text()} is what is printed and saved.
 */
public record DemoReport(
        String text,
        UsageSampler.PhaseStats before,
        UsageSampler.PhaseStats after,
        Map<String, long[]> podsPerTier,
        Path chart,
        Path file) {

    static DemoReport build(
            KubernetesClient admin,
            SchedulerProcess schedulers,
            MigrationController migration,
            ReplicaController hosting,
            HostingTally tally,
            DemoProgress progress,
            int prodPods,
            double prodBurstSeconds,
            Path chart,
            DemoSettings s)
            throws IOException {
        UsageSampler.PhaseStats before = progress.sampler().stats(DemoRun.BEFORE);
        UsageSampler.PhaseStats after = progress.sampler().stats(DemoRun.AFTER);
        Map<String, long[]> tiers = new LinkedHashMap<>();
        for (String t : List.of("prod", "mid", "batch", "free")) {
            tiers.put(t, new long[2]);
        }
        for (Pod p : admin.pods().inNamespace(DemoWorkload.NAMESPACE).list().getItems()) {
            String tier = p.getSpec().getSchedulerName().replace("qshard-", "");
            long[] c = tiers.get(tier);
            if (c != null && p.getMetadata().getDeletionTimestamp() == null) {
                c[p.getSpec().getNodeName() == null ? 1 : 0]++;
            }
        }
        StringBuilder b = new StringBuilder();
        String load = s.traces() == null ? "synthetic diurnal (no traces)" : "real traces from " + s.traces();
        b.append(String.format(
                Locale.ROOT,
                "%n=== qshard demo report ===%n%d nodes, %d cores; prod load: %s%n%n",
                s.nodes(),
                DemoFleet.cores(s.nodes()),
                load + " at " + (int) s.speedup() + "x"));
        b.append("utilisation (mean cpu used / real allocatable, from the nodes' usage reports):\n");
        line(b, "before", before);
        line(b, "after ", after);
        // what the borrowing tiers use: everything but prod, after minus before (prod's own daily drift is not a gain)
        b.append(String.format(
                Locale.ROOT,
                "  → %+.1f points of the cluster's cpu put to work by the borrowing tiers%n%n",
                100 * ((after.meanCpu() - after.meanProdCpu()) - (before.meanCpu() - before.meanProdCpu()))));
        b.append("pods per tier now (bound / pending):");
        tiers.forEach((t, c) -> b.append(String.format(Locale.ROOT, "  %s %d/%d", t, c[0], c[1])));
        b.append(String.format(
                Locale.ROOT,
                "%npending pod-seconds (mid, batch, free; after): %.0f, mean %.1f pending%n",
                progress.pendingPodSeconds(),
                progress.meanPending()));
        b.append(hostingLine(hosting, tally));
        b.append(String.format(
                Locale.ROOT,
                "%nscheduling: %d bindings in all; the %d prod pods were bound %.1f s after submission "
                        + "(Deployment controller included); peak %.0f bindings/s%n",
                progress.totalBound(),
                prodPods,
                prodBurstSeconds,
                progress.peakRate()));
        b.append("  queue → bound latency p50 / p99:");
        for (String t : tiers.keySet()) {
            Histogram h = new Histogram(3);
            for (TierScheduler x : schedulers.schedulers()) {
                if (x.tier().name().equals(t)) {
                    h.add(x.metrics().endToEndHistogram());
                }
            }
            b.append(String.format(
                    Locale.ROOT, "  %s %d/%d ms", t, h.getValueAtPercentile(50), h.getValueAtPercentile(99)));
        }
        b.append(String.format(
                Locale.ROOT,
                "%n%nmigration: %d evictions, %d refused by budgets, %d hot-node cycles skipped "
                        + "(nowhere to go); hot node-time overall %.2f %%%n",
                migration.evicted.sum(),
                migration.blocked.sum(),
                migration.skipped.sum(),
                100 * progress.sampler().hotNodeTime()));
        Path file = s.out().resolve("report.txt");
        b.append(String.format(
                Locale.ROOT,
                "%nchart (cluster cpu over time): %s%nthis report: %s%n",
                chart.toAbsolutePath(),
                file.toAbsolutePath()));
        Files.writeString(file, b.toString());
        return new DemoReport(b.toString(), before, after, tiers, chart, file);
    }

    private static final double GIB = 1L << 30;

    /** The replica hosting line(s): what it changed and where the hosted replicas are now, or how to turn it on. */
    static String hostingLine(ReplicaController hosting, HostingTally tally) {
        if (hosting == null || tally == null) {
            return "replica hosting: off (--replica-hosting)\n";
        }
        Map<ReplicaDecision.Direction, Long> last = new EnumMap<>(ReplicaDecision.Direction.class);
        for (ReplicaDecision d : hosting.lastDecisions()) {
            last.merge(d.direction(), 1L, Long::sum);
        }
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "replica hosting: on — %d changes written (%d up, %d down seen), %d manual, %d conflicts, %d errors; "
                        + "hosted replicas now %d (request %d) in %d Deployments%n",
                hosting.changes.sum(),
                tally.up(),
                tally.down(),
                hosting.manual.sum(),
                hosting.conflicts.sum(),
                hosting.errors.sum(),
                tally.replicas(),
                tally.requested(),
                tally.workloads()));
        b.append("  last cycle:");
        last.forEach(
                (d, n) -> b.append(' ').append(n).append(' ').append(d.name().toLowerCase(Locale.ROOT)));
        b.append(hosting.frozenReason().map(r -> "; frozen: " + r).orElse(""));
        b.append('\n');
        hosting.lastPools()
                .forEach((rule, f) -> b.append(String.format(
                        Locale.ROOT,
                        "  %s net pool %.1f cores / %.1f GiB (band %.1f cores / %.1f GiB)%n",
                        rule.name().toLowerCase(Locale.ROOT),
                        f.netCpu() / 1000.0,
                        f.netMemory() / GIB,
                        f.bandCpu() / 1000.0,
                        f.bandMemory() / GIB)));
        hosting.lastDecisions().stream()
                .filter(d -> d.direction() != ReplicaDecision.Direction.STEADY)
                .limit(3)
                .forEach(d -> b.append(String.format(
                        Locale.ROOT,
                        "  %s %s: %s%n",
                        d.key().name(),
                        d.direction().name().toLowerCase(Locale.ROOT),
                        d.why())));
        return b.toString();
    }

    private static void line(StringBuilder b, String label, UsageSampler.PhaseStats p) {
        b.append(String.format(
                Locale.ROOT,
                "  %s (%s, %d samples): %5.1f %% used (prod %5.1f %%), hot node-time %.2f %%%n",
                label,
                p.phase(),
                p.samples(),
                100 * p.meanCpu(),
                100 * p.meanProdCpu(),
                100 * p.hotNodeTime()));
    }
}
