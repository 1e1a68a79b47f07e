package io.qshard.cli;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.PoolBalance;
import io.qshard.core.replicas.ReplicaDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code qshard replicas status}'s text: one line per borrowing tier with its net pool, then a table of the
 * workloads as the controller decided them, in its order (most important first). Pure and thread-safe.
 *
 * <pre>
 * tier batch: net pool 12.3 cores / 48.0 GiB (band 3.2 cores / 12.8 GiB), 3 hosted, replicas 57 (request 40)
 * NAMESPACE  WORKLOAD        TIER   MIN  MAX  REQUEST  CURRENT  BOUND  PENDING  DESIRED  NEXT  WHY
 * shop       Deployment/etl  batch  2    40   20       37       37     0        23       23    batch pool over by …
 * </pre>
 *
 * DESIRED is the planner's recommendation clamped into [min, max]; NEXT what this cycle writes ({@code -}: nothing).
 * A workload that is not planned shows {@code -} for what was not computed: invalid annotations (spec off) for all but
 * its request and replicas, one left to an HPA (reason "left alone: …") for its pods and DESIRED.
 */
final class ReplicaStatusTable {
    static final String NONE = "(no workload has " + HostingAnnotations.HOSTING + "=true)";
    /** How the controller's reason starts for a workload it does not plan (an HPA targets it). */
    static final String LEFT_ALONE = "left alone:";

    private static final String[] HEADER = {
        "NAMESPACE",
        "WORKLOAD",
        "TIER",
        "MIN",
        "MAX",
        "REQUEST",
        "CURRENT",
        "BOUND",
        "PENDING",
        "DESIRED",
        "NEXT",
        "WHY"
    };

    private ReplicaStatusTable() {}

    /**
     * @param tiers     the configured tiers (the borrowing ones get a pool line, in this order)
     * @param pools     the last cycle's pool figures per class (cpu milli-cores, memory bytes); a class missing here
     *                  gets no pool line
     * @param decisions the last cycle's decisions, in the controller's order
     * @param frozen    why the controller decided nothing, or empty
     * @return the lines to print
     */
    static List<String> lines(
            List<Tier> tiers,
            Map<PoolRule, PoolBalance.Figures> pools,
            List<ReplicaDecision> decisions,
            Optional<String> frozen) {
        List<String> out = new ArrayList<>();
        frozen.ifPresent(why -> out.add("frozen: " + why + " — no change is decided until it clears"));
        for (Tier t : tiers) {
            PoolBalance.Figures f = pools.get(t.poolRule());
            if (t.poolRule() == PoolRule.ALLOCATABLE || f == null) {
                continue;
            }
            int hosted = 0;
            int replicas = 0;
            int request = 0;
            for (ReplicaDecision d : decisions) {
                if (t.name().equals(d.tier()) && planned(d)) {
                    hosted++;
                    replicas += d.current();
                    request += d.request();
                }
            }
            out.add(String.format(
                    Locale.ROOT,
                    "tier %s: net pool %s cores / %s GiB (band %s cores / %s GiB), %d hosted, replicas %d (request %d)",
                    t.name(),
                    cores(f.netCpu()),
                    gib(f.netMemory()),
                    cores(f.bandCpu()),
                    gib(f.bandMemory()),
                    hosted,
                    replicas,
                    request));
        }
        if (decisions.isEmpty()) {
            out.add(NONE);
            return out;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ReplicaDecision d : decisions) {
            rows.add(row(d));
        }
        out.addAll(aligned(rows));
        return out;
    }

    private static String[] row(ReplicaDecision d) {
        boolean ranged = d.spec().enabled();
        boolean planned = planned(d);
        return new String[] {
            d.key().namespace(),
            d.key().kind() + "/" + d.key().name(),
            d.tier() == null || d.tier().isEmpty() ? "-" : d.tier(),
            ranged ? Integer.toString(d.spec().min()) : "-",
            ranged ? Integer.toString(d.spec().max()) : "-",
            Integer.toString(d.request()),
            Integer.toString(d.current()),
            planned ? Integer.toString(d.bound()) : "-",
            planned ? Integer.toString(d.pending()) : "-",
            planned ? Integer.toString(d.spec().clamp(d.raw())) : "-",
            d.next() == null ? "-" : d.next().toString(),
            d.why() == null || d.why().isBlank() ? "-" : d.why()
        };
    }

    /** Hosted and planned: valid annotations, and no HPA targets it. */
    private static boolean planned(ReplicaDecision d) {
        return d.spec().enabled() && (d.why() == null || !d.why().startsWith(LEFT_ALONE));
    }

    /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
    private static List<String> aligned(List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length - 1; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.add(line.append(r[r.length - 1]).toString());
        }
        return out;
    }

    /** Milli-cores as cores with one decimal ("12.3", "-2.1"). */
    static String cores(long milli) {
        return String.format(Locale.ROOT, "%.1f", milli / 1000.0);
    }

    /** Bytes as GiB with one decimal. */
    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }
}
