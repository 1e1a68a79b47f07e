package io.qshard.bench.e2e;

import io.qshard.bench.e2e.BacklogRound.Result;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The table of a {@code --workload topology} run of {@link BacklogBench}: per contender its median round, the
 * violations its audits found over all rounds, qshard ÷ kube-scheduler 1.20, and every round's pods/s and
 * violations. Written to the {@link #SECTION} section of bench/RESULTS.md.
 */
final class TopologyReport {
    /** The bench/RESULTS.md section the table replaces. */
    static final String SECTION = "e2e-topology";

    private TopologyReport() {}

    /**
     * @param byContender every round's result per contender, in {@link BacklogBench}'s order (kube-scheduler first,
     *                    qshard second); contenders that did not run have no rounds
     */
    static String table(
            BacklogOptions o, BacklogWorkload w, int warmup, int warmupRounds, List<List<Result>> byContender) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%d nodes, %d pods per contender and round: %s%s, %d rounds after %d uncounted control-plane warm-up "
                        + "round(s), %s%n%n",
                o.nodes,
                o.pods,
                w.describe(),
                warmup > 0 ? ", after " + warmup + " older warm-up pods bound first" : " (cold start)",
                o.rounds,
                warmupRounds,
                LocalDate.now()));
        sb.append("| contender (median round) | bound | pods/s (first→last binding) | wall s (start→last binding) "
                + "| CPU s: contender | apiserver | etcd | violations, all rounds: anti-affinity (pods) "
                + "| spread (apps) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<Result> rs : byContender) {
            if (rs.isEmpty()) {
                continue;
            }
            Result r = BacklogRound.median(rs);
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %d |%n",
                    r.name(),
                    r.bound(),
                    r.podsPerSecond(),
                    r.wallSeconds(),
                    r.contenderCpu(),
                    r.apiserverCpu(),
                    r.etcdCpu(),
                    rs.stream()
                            .mapToInt(x -> x.audit() == null ? 0 : x.audit().antiAffinity())
                            .sum(),
                    rs.stream()
                            .mapToInt(x -> x.audit() == null ? 0 : x.audit().spread())
                            .sum()));
        }
        List<Result> kube = byContender.get(0);
        List<Result> qshard = byContender.get(1);
        if (!kube.isEmpty() && kube.size() == qshard.size()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%n| qshard ÷ kube-scheduler 1.20 | ratio of the medians | median of the per-round ratios |%n"
                            + "|---|---:|---:|%n| pods/s | **%.2f×** | %.2f× |%n",
                    BacklogRound.median(qshard).podsPerSecond()
                            / BacklogRound.median(kube).podsPerSecond(),
                    medianRatio(qshard, kube)));
        }
        sb.append(
                "\nEvery round, pods/s (violations: anti-affinity pods / spread apps; order rotated each round):\n\n");
        for (List<Result> rs : byContender) {
            if (rs.isEmpty()) {
                continue;
            }
            sb.append("- ")
                    .append(rs.get(0).name())
                    .append(": ")
                    .append(rs.stream().map(r -> round(r, o.pods)).toList())
                    .append('\n');
        }
        return sb.toString();
    }

    /** "pods/s (anti/spread)", plus how many were bound when not all. */
    private static String round(Result r, int pods) {
        String s = r.audit() == null
                ? String.format(Locale.ROOT, "%.0f", r.podsPerSecond())
                : String.format(
                        Locale.ROOT,
                        "%.0f (%d/%d)",
                        r.podsPerSecond(),
                        r.audit().antiAffinity(),
                        r.audit().spread());
        return r.bound() < pods ? s + " only " + r.bound() + " bound" : s;
    }

    private static double medianRatio(List<Result> a, List<Result> b) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < a.size(); r++) {
            ratios.add(a.get(r).podsPerSecond() / b.get(r).podsPerSecond());
        }
        Collections.sort(ratios);
        return ratios.get(ratios.size() / 2);
    }
}
