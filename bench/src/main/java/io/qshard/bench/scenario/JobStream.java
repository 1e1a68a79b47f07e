package io.qshard.bench.scenario;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batch and free work of a scenario: jobs of random size and length, created so that a standing backlog of
 * pending pods is always there to fill whatever room the pools leave (the "filling with batch/free work").
 * Sizes are in the batch extended resources, as those tiers ask (docs/architecture.md). Deterministic for a seed. Not
 * thread-safe.
 */
final class JobStream {
    /**
     * @param backlogPerNode  pending pods kept waiting, per node
     * @param freeShare       share of jobs in the free tier (the rest are batch)
     * @param minCpuMilli     smallest job cpu
     * @param maxCpuMilli     largest job cpu
     * @param memoryPerCore   memory per requested core, bytes
     * @param meanRuntimeSeconds mean job runtime (exponential), simulated seconds
     */
    record Settings(
            double backlogPerNode,
            double freeShare,
            long minCpuMilli,
            long maxCpuMilli,
            long memoryPerCore,
            long meanRuntimeSeconds) {
        static Settings defaults() {
            return new Settings(1.0, 1.0 / 3, 500, 2_000, 2L << 30, 2 * 3600);
        }
    }

    /** A job's pod and how long it runs once placed. */
    record Job(PodRequest pod, long runtimeSeconds) {}

    private final Settings settings;
    private final Tier batch;
    private final Tier free;
    private final SplittableRandom random;
    private long next;

    JobStream(Settings settings, QshardConfig config, long seed) {
        this.settings = settings;
        this.batch = config.tier("batch");
        this.free = config.tier("free");
        this.random = new SplittableRandom(seed);
    }

    /** @return how many pods the backlog should hold for {@code nodes} nodes */
    int backlogFor(int nodes) {
        return (int) Math.ceil(settings.backlogPerNode() * nodes);
    }

    /** A new job created at {@code now}. */
    Job next(Instant now) {
        Tier tier = random.nextDouble() < settings.freeShare() ? free : batch;
        long cpu = settings.minCpuMilli()
                + 100 * random.nextLong((settings.maxCpuMilli() - settings.minCpuMilli()) / 100 + 1);
        long memory = cpu * settings.memoryPerCore() / 1000;
        return new Job(pod(tier, cpu, memory, now, "job-" + next++), runtime());
    }

    /** @return a job runtime: exponential with the configured mean, at least a minute, simulated seconds */
    long runtime() {
        return Math.max(60, Math.round(-Math.log(1 - random.nextDouble()) * settings.meanRuntimeSeconds()));
    }

    /** The pod a controller re-creates for an evicted one: same size and tier, a new uid, created now. */
    PodRequest recreate(PodRequest evicted, Instant now) {
        Tier tier = batch.name().equals(evicted.tier()) ? batch : free;
        return pod(
                tier,
                evicted.requests().batchMilliCpu(),
                evicted.requests().batchMemoryBytes(),
                now,
                evicted.owner().name() + "-r" + next++);
    }

    private static PodRequest pod(Tier tier, long cpu, long memory, Instant now, String name) {
        OwnerRef owner =
                new OwnerRef("ReplicaSet", name.replaceAll("-r\\d+$", ""), "rs-" + name.replaceAll("-r\\d+$", ""));
        return new PodRequest(
                "uid-" + name,
                "scenario",
                name,
                tier.name(),
                tier.poolRule(),
                new Resources(0, 0, 1, cpu, memory),
                Map.of(),
                null,
                List.of(),
                tier.priority(),
                now,
                owner,
                null);
    }
}
