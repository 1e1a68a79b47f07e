package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.PoolBalance;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code qshard replicas run}: sets the replicas of opted-in workloads of the borrowing tiers through their
 * {@code scale} subresource so each tier's pending pods stay near zero and its pool is used
 * (docs/architecture.md, "Replica hosting"), every period, while it leads its Lease {@code qshard-replicas}. Never
 * writes to a workload an HPA targets; a manual change becomes the new request. Thread-safe entry points.
 */
public final class ReplicaController implements AutoCloseable {
    /** Replica changes written (in dry-run: planned). */
    public final LongAdder changes = new LongAdder();
    /** Manual changes seen (taken as the new request). */
    public final LongAdder manual = new LongAdder();
    /** Writes refused by a resourceVersion precondition (re-read next cycle). */
    public final LongAdder conflicts = new LongAdder();
    /** Writes that failed otherwise (retried next cycle). */
    public final LongAdder errors = new LongAdder();

    /** @param metrics where its counters and gauges are registered ({@link Metrics#NOOP} for none) */
    public ReplicaController(
            KubernetesClient client, QshardConfig config, ReplicaSettings settings, Clock clock, Metrics metrics) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Syncs the informers, contends for the Lease (when configured) and starts the cycles. */
    public void start(Duration syncTimeout) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The loop's heartbeat (as {@code OversaleController}'s). */
    public Heartbeat heartbeat() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The largest healthy age of {@link #heartbeat()} ({@link Heartbeat#maxAgeForPeriodic}). */
    public Duration heartbeatMaxAge() {
        throw new UnsupportedOperationException("TODO");
    }

    /** @return whether this replica acts (leads, or runs without election) */
    public boolean acting() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Why this replica is not ready ({@code /readyz}): informers not synced, HPAs not listable, frozen, or standing
     * by; empty when it acts.
     */
    public Optional<String> notReadyReason() {
        throw new UnsupportedOperationException("TODO");
    }

    /** One cycle: plan on the view's thread, decide, then write within the rate. @return the decisions */
    public List<ReplicaDecision> cycle() throws Exception {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The last cycle's decisions, including workloads left alone (HPA, invalid: direction HOLD with the reason),
     * most important first. Thread-safe.
     */
    public List<ReplicaDecision> lastDecisions() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The last cycle's pool figures per borrowing class. Thread-safe. */
    public Map<PoolRule, PoolBalance.Figures> lastPools() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Why the last cycle decided nothing (not synced, warming up, reports not fresh), or empty. Thread-safe. */
    public Optional<String> frozenReason() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
