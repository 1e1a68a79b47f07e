package io.qshard.controllers.replicas;

import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.PoolBalance;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.kube.metrics.Metrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Replica hosting's {@code /metrics} (docs/architecture.md, "Replica hosting"): changes by direction and result,
 * manual changes, rate-limited changes, workloads by state, hosted replicas per tier, the net pools and bands, frozen
 * and leader. Gauges read what the last cycle published. Thread-safe.
 */
final class ReplicaMetrics {
    private final Map<String, LongAdder> changes = new ConcurrentHashMap<>();
    private volatile Map<String, Long> states = Map.of();
    private volatile Map<String, long[]> replicas = Map.of(); // tier → {request, current, desired}
    private volatile long rateLimited;

    ReplicaMetrics(Metrics m, ReplicaController c) {
        for (String d : List.of("up", "down", "range", "restore")) {
            for (String r : List.of("written", "dry_run", "conflict", "failed")) {
                changes.put(d + "/" + r, new LongAdder());
            }
        }
        m.counterWithCallback(
                "qshard_replicas_changes_total",
                "replica changes, by direction and result (dry_run: planned, not written)",
                List.of("direction", "result"),
                out -> new TreeMap<>(changes).forEach((k, v) -> {
                    int slash = k.indexOf('/');
                    out.sample(v.sum(), k.substring(0, slash), k.substring(slash + 1));
                }));
        m.counterWithCallback(
                "qshard_replicas_manual_changes_total",
                "replica changes made outside qshard, taken as the new request",
                List.of(),
                out -> out.sample(c.manual.sum()));
        m.counterWithCallback(
                "qshard_replicas_rate_limited_total",
                "changes cut or deferred by the cluster-wide rate",
                List.of(),
                out -> out.sample(rateLimited));
        m.gaugeWithCallback(
                "qshard_replicas_workloads",
                "workloads with replica hosting annotations at the last cycle: hosted (held: those of them held this cycle), "
                        + "left to an HPA, invalid",
                List.of("state"),
                out -> {
                    Map<String, Long> s = states;
                    for (String st : List.of("hosted", "held", "hpa", "invalid")) {
                        out.sample(s.getOrDefault(st, 0L), st);
                    }
                });
        m.gaugeWithCallback(
                "qshard_replicas_hosted_replicas",
                "replicas of the hosted workloads at the last cycle, by tier: request, current, desired",
                List.of("tier", "which"),
                out -> new TreeMap<>(replicas).forEach((tier, v) -> {
                    out.sample(v[0], tier, "request");
                    out.sample(v[1], tier, "current");
                    out.sample(v[2], tier, "desired");
                }));
        m.gaugeWithCallback(
                "qshard_replicas_pool_net",
                "each borrowing class's net pool at the last cycle (milli-cores, bytes)",
                List.of("tier", "resource"),
                out -> pools(c.lastPools()).forEach((rule, f) -> {
                    String tier = rule.name().replace("_POOL", "").toLowerCase(Locale.ROOT);
                    out.sample(f.netCpu(), tier, "cpu");
                    out.sample(f.netMemory(), tier, "memory");
                }));
        m.gaugeWithCallback(
                "qshard_replicas_pool_band",
                "the hysteresis band at the last cycle (milli-cores, bytes)",
                List.of("resource"),
                out -> pools(c.lastPools()).values().stream().findFirst().ifPresent(f -> {
                    out.sample(f.bandCpu(), "cpu");
                    out.sample(f.bandMemory(), "memory");
                }));
        m.gaugeWithCallback(
                "qshard_replicas_frozen",
                "1 while hosting holds (not synced, warming up, reports not fresh)",
                List.of(),
                out -> out.sample(c.frozenReason().isPresent() ? 1 : 0));
        m.gaugeWithCallback(
                "qshard_replicas_leader",
                "1 while this replica acts",
                List.of(),
                out -> out.sample(c.acting() ? 1 : 0));
    }

    private static Map<PoolRule, PoolBalance.Figures> pools(Map<PoolRule, PoolBalance.Figures> m) {
        return new TreeMap<>(m);
    }

    void change(String direction, String result) {
        changes.computeIfAbsent(direction + "/" + result, k -> new LongAdder()).increment();
    }

    /** Publishes a cycle's decisions (left-alone ones included) and the rate's count. */
    void cycled(List<ReplicaDecision> decisions, long limited) {
        Map<String, Long> st = new TreeMap<>();
        Map<String, long[]> reps = new TreeMap<>();
        for (ReplicaDecision d : decisions) {
            String why = d.why() == null ? "" : d.why();
            String state;
            if (why.startsWith("invalid: ")) {
                state = "invalid";
            } else if (why.startsWith("left alone: ")) {
                state = "hpa";
            } else {
                state = "hosted";
                if (d.direction() == ReplicaDecision.Direction.HOLD) {
                    st.merge("held", 1L, Long::sum);
                }
                long[] v = reps.computeIfAbsent(d.tier(), k -> new long[3]);
                v[0] += d.request();
                v[1] += d.current();
                v[2] += d.next() == null ? d.current() : d.next();
            }
            st.merge(state, 1L, Long::sum);
        }
        states = st;
        replicas = reps;
        rateLimited = limited;
    }
}
