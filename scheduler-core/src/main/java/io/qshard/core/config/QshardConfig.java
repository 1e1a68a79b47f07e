package io.qshard.core.config;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.model.Tier;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.queue.BackoffPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The whole scheduler configuration ({@code qshard.yaml}), validated. Immutable.
 *
 * @param tiers                the tiers, in priority order (highest first)
 * @param pools                dynamic resource view parameters
 * @param nodesToScore         how many feasible nodes to score
 * @param backoff              per-pod retry backoff
 * @param unschedulableTimeout unschedulable pods are retried at least this often
 * @param predictions          how the usage view uses the predictors
 * @param migration            the hot-node rule and the migration loop
 * @param shardRotation        a pending pod its shard cannot place moves to the next shard after this (every
 *                             instance of a tier must use the same value: ownership is computed, not written)
 * @param equivalentPodReuse   decisions made from one kept decision window for equivalent pods before a full decision
 *                             ({@link io.qshard.core.algorithm.DecisionReuse}), ≥ 0; 0 decides every pod in full
 */
public record QshardConfig(
        List<Tier> tiers,
        PoolConfig pools,
        NodesToScore nodesToScore,
        BackoffPolicy backoff,
        Duration unschedulableTimeout,
        PredictionConfig predictions,
        MigrationConfig migration,
        Duration shardRotation,
        int equivalentPodReuse) {
    public QshardConfig {
        tiers = List.copyOf(tiers);
        java.util.Objects.requireNonNull(predictions, "predictions");
        java.util.Objects.requireNonNull(migration, "migration");
        java.util.Objects.requireNonNull(shardRotation, "shardRotation");
        if (equivalentPodReuse < 0) {
            throw new IllegalArgumentException("equivalentPodReuse must be ≥ 0, was " + equivalentPodReuse);
        }
    }

    /** A configuration with the default {@link PredictionConfig}, {@link MigrationConfig}, shard rotation and reuse. */
    public QshardConfig(
            List<Tier> tiers,
            PoolConfig pools,
            NodesToScore nodesToScore,
            BackoffPolicy backoff,
            Duration unschedulableTimeout) {
        this(
                tiers,
                pools,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                PredictionConfig.defaults(),
                MigrationConfig.defaults(),
                io.qshard.core.shard.PodOwnership.DEFAULT_ROTATION,
                io.qshard.core.algorithm.DecisionReuse.DEFAULT_MAX_REUSES);
    }

    /** The built-in configuration: four default tiers, default pools and scheduling parameters. */
    public static QshardConfig defaults() {
        return new QshardConfig(
                DefaultTiers.all(),
                PoolConfig.defaults(),
                NodesToScore.adaptive(),
                BackoffPolicy.defaults(),
                io.qshard.core.queue.SchedulingQueue.DEFAULT_UNSCHEDULABLE_TIMEOUT);
    }

    /** @return this configuration with other pool parameters */
    public QshardConfig withPools(PoolConfig other) {
        return new QshardConfig(
                tiers,
                other,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                predictions,
                migration,
                shardRotation,
                equivalentPodReuse);
    }

    /** @return this configuration with other prediction settings */
    public QshardConfig withPredictions(PredictionConfig other) {
        return new QshardConfig(
                tiers,
                pools,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                other,
                migration,
                shardRotation,
                equivalentPodReuse);
    }

    /** @return this configuration with other migration settings */
    public QshardConfig withMigration(MigrationConfig other) {
        return new QshardConfig(
                tiers,
                pools,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                predictions,
                other,
                shardRotation,
                equivalentPodReuse);
    }

    /** @return this configuration with other tiers (e.g. another shard count) */
    public QshardConfig withTiers(List<Tier> other) {
        return new QshardConfig(
                other,
                pools,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                predictions,
                migration,
                shardRotation,
                equivalentPodReuse);
    }

    /** @return this configuration with another shard rotation */
    public QshardConfig withShardRotation(Duration other) {
        return new QshardConfig(
                tiers,
                pools,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                predictions,
                migration,
                other,
                equivalentPodReuse);
    }

    /** @return this configuration with another {@code equivalentPodReuse} (0: every pod decided in full) */
    public QshardConfig withEquivalentPodReuse(int other) {
        return new QshardConfig(
                tiers,
                pools,
                nodesToScore,
                backoff,
                unschedulableTimeout,
                predictions,
                migration,
                shardRotation,
                other);
    }

    /** @return the tier named {@code name} with {@code shards} shards, the others unchanged */
    public QshardConfig withShards(String name, int shards) {
        List<Tier> out = new java.util.ArrayList<>();
        for (Tier t : tiers) {
            out.add(t.name().equals(name) ? t.withShards(shards) : t);
        }
        return withTiers(out);
    }

    /**
     * The tier named {@code name}.
     *
     * @throws ConfigException naming the configured tiers if there is none
     */
    public Tier tier(String name) {
        return tiers.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigException(
                        "--tier",
                        "",
                        "unknown tier '" + name + "' (configured: "
                                + tiers.stream().map(Tier::name).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * The accounting class of a tier name as usage reports key it; {@link io.qshard.core.model.PoolRule#ALLOCATABLE}
     * (counted with prod) for unknown names and for pods of no tier.
     */
    public io.qshard.core.model.PoolRule classOfTier(String tierName) {
        for (Tier t : tiers) {
            if (t.name().equals(tierName)) {
                return t.poolRule();
            }
        }
        return io.qshard.core.model.PoolRule.ALLOCATABLE;
    }

    /** The tier whose schedulerName this is; empty for pods of other schedulers. */
    public Optional<Tier> tierForSchedulerName(String schedulerName) {
        for (Tier t : tiers) {
            if (t.schedulerName().equals(schedulerName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
