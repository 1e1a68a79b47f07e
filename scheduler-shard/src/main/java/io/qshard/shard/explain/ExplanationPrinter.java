package io.qshard.shard.explain;

import io.qshard.core.algorithm.Explanation;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a {@link PodExplainer.Result} for a terminal: the aggregated filter reasons (the FailedScheduling
 * message), the failing nodes by reason, and the top nodes with each plugin's score and the pool numbers behind them.
 * Pool numbers are the tier's: cpu in milli-cores, memory in MiB (batch and free: the advertised batch resources).
 * Stateless.
 */
public final class ExplanationPrinter {
    private ExplanationPrinter() {}

    public static void print(PodExplainer.Result r, String boundTo, int top, int failingShown, PrintWriter out) {
        Explanation e = r.explanation();
        if (r.heldBack() != null) {
            out.printf(
                    "not queued: %s: %s (the decision below is the one it would get once released)%n",
                    r.heldBack().plugin(), String.join("; ", r.heldBack().reasons()));
        }
        if (!r.pod().details().ignored().isEmpty()) {
            out.println("not scheduled by (ignored): "
                    + String.join("; ", r.pod().details().ignored()));
        }
        out.printf(
                "%d nodes looked at, %d feasible%n",
                r.snapshot().size(), e.ranked().size());
        if (!e.feasible()) {
            out.println("reasons (as in FailedScheduling): " + e.diagnosis().message());
        }
        if (r.pod().details().nominatedNode() != null) {
            out.println("nominated node (status.nominatedNodeName, room made by a preemption): "
                    + r.pod().details().nominatedNode());
        }
        if (r.preemption() != null) {
            if (r.preemption().status().isSuccess()) {
                out.printf(
                        "preemption would nominate %s after removing %d pod(s) (%d breaking a disruption budget): %s%n",
                        r.preemption().nominatedNode(),
                        r.preemption().victims().size(),
                        r.preemption().pdbViolations(),
                        r.preemption().victims().stream()
                                .map(v -> v.key() + " (priority " + v.priority() + ", tier "
                                        + (v.tier() == null ? "other" : v.tier()) + ")")
                                .toList());
                if (r.preemption().victims().stream()
                        .anyMatch(v ->
                                v.tier() != null && !v.tier().equals(r.pod().tier()))) {
                    out.println(
                            "  (victims from other tiers: the scheduler also applies its cross-tier caps — migration:"
                                    + " maxEvictionsPerMinute, maxPerNode, maxPerWorkload — which explain does not know)");
                }
            } else {
                out.println("preemption: "
                        + String.join("; ", r.preemption().status().reasons()));
            }
        }
        nominatedOnNodes(r, out);
        if (!e.diagnosis().byNode().isEmpty()) {
            out.println("failing nodes:");
            List<Map.Entry<String, Status>> failing =
                    new ArrayList<>(e.diagnosis().byNode().entrySet());
            for (int i = 0; i < Math.min(failingShown, failing.size()); i++) {
                out.printf(
                        "  %-32s %s%n",
                        failing.get(i).getKey(),
                        String.join("; ", failing.get(i).getValue().reasons()));
            }
            if (failing.size() > failingShown) {
                out.printf("  … and %d more (see the counts above)%n", failing.size() - failingShown);
            }
        }
        if (boundTo != null) {
            int rank = e.rankOf(boundTo);
            out.printf(
                    "bound to %s: %s%n",
                    boundTo,
                    rank > 0
                            ? "rank " + rank + " of " + e.ranked().size() + " feasible nodes now (total "
                                    + total(e, boundTo) + ")"
                            : "not feasible for it now"
                                    + (e.diagnosis().byNode().containsKey(boundTo)
                                            ? " ("
                                                    + String.join(
                                                            "; ",
                                                            e.diagnosis()
                                                                    .byNode()
                                                                    .get(boundTo)
                                                                    .reasons()) + ")"
                                            : ""));
        }
        if (e.feasible()) {
            out.printf(
                    "top %d nodes (score per plugin × weight; pool of the tier: cpu m, memory MiB):%n",
                    Math.min(top, e.ranked().size()));
            StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-28s %6s", "NODE", "TOTAL"));
            for (int j = 0; j < e.plugins().size(); j++) {
                h.append(String.format(
                        Locale.ROOT,
                        " %s",
                        abbreviate(e.plugins().get(j)) + "×" + e.weights().get(j)));
            }
            h.append("  | CAP cpu/mem  REQ cpu/mem  USE cpu/mem  ROOM cpu/mem");
            out.println(h);
            List<Explanation.NodeScore> shown = new ArrayList<>(
                    e.ranked().subList(0, Math.min(top, e.ranked().size())));
            if (boundTo != null && e.rankOf(boundTo) > top) {
                shown.add(e.ranked().get(e.rankOf(boundTo) - 1));
            }
            for (Explanation.NodeScore n : shown) {
                StringBuilder line = new StringBuilder(String.format(
                        Locale.ROOT, "%s %-28s %6d", n.node().equals(boundTo) ? "*" : " ", n.node(), n.total()));
                for (String p : e.plugins()) {
                    long v = n.scores().get(p);
                    String cell = v < 0 ? "skip" : Long.toString(v);
                    line.append(String.format(Locale.ROOT, " %" + (abbreviate(p).length() + 2) + "s", cell));
                }
                r.snapshot().node(n.node()).ifPresent(ns -> line.append("  | ").append(pool(r, ns)));
                out.println(line);
            }
        }
        out.flush();
    }

    /** Pods nominated to nodes of the snapshot: their room is held against pods of at most their priority. */
    private static void nominatedOnNodes(PodExplainer.Result r, PrintWriter out) {
        List<String> held = new ArrayList<>();
        for (int i = 0; i < r.snapshot().size(); i++) {
            NodeState n = r.snapshot().node(i);
            for (var p : n.nominated()) {
                if (!p.uid().equals(r.pod().uid())) {
                    held.add(p.key() + " → " + n.name() + " (priority " + p.priority() + ")");
                }
            }
        }
        if (!held.isEmpty()) {
            out.println("pods nominated to nodes (room held against pods of at most their priority): " + held);
        }
    }

    private static String pool(PodExplainer.Result r, NodeState ns) {
        PoolRule rule = r.tier().poolRule();
        boolean batch = rule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED;
        int cpu = batch ? NodeState.BATCH_CPU : NodeState.CPU;
        int mem = batch ? NodeState.BATCH_MEMORY : NodeState.MEMORY;
        return String.format(
                Locale.ROOT,
                "%d/%d  %d/%d  %d/%d  %d/%d",
                ns.tierCapacity(rule, 0),
                ns.tierCapacity(rule, 1) >> 20,
                ns.tierUsed(rule, 0),
                ns.tierUsed(rule, 1) >> 20,
                ns.usageOf(rule, 0),
                ns.usageOf(rule, 1) >> 20,
                r.room().room(rule, ns, cpu),
                r.room().room(rule, ns, mem) >> 20);
    }

    private static long total(Explanation e, String node) {
        return e.ranked().get(e.rankOf(node) - 1).total();
    }

    /** LeastAllocated → LeastAlloc…: keeps the table narrow; full names are in the tier's config. */
    static String abbreviate(String plugin) {
        return plugin.length() <= 12 ? plugin : plugin.substring(0, 11) + "…";
    }
}
