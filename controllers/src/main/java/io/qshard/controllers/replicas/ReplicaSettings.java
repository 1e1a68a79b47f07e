package io.qshard.controllers.replicas;

import io.qshard.core.replicas.HostingSettings;
import java.time.Duration;
import java.util.List;

/**
 * {@code qshard replicas run}'s settings. Immutable; validated on construction, errors name the flag.
 *
 * @param hosting        the control law's settings
 * @param period         how often the replicas are reconsidered, ≥ 1 s
 * @param warmUp         no decision before this long after start (predictors and reports warm up), ≥ 0
 * @param dryRun         log and count what would change, write nothing (no patch, no scale, no Event)
 * @param leaseNamespace the Lease's namespace for leader election, or null to run without one (a single replica)
 * @param identity       this replica's identity (its pod name)
 * @param kinds          the workload kinds watched
 */
public record ReplicaSettings(
        HostingSettings hosting,
        Duration period,
        Duration warmUp,
        boolean dryRun,
        String leaseNamespace,
        String identity,
        List<WorkloadKind> kinds) {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(60);

    public ReplicaSettings {
        if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--period must be at least 1s, was " + period);
        }
        if (warmUp == null || warmUp.isNegative()) {
            throw new IllegalArgumentException("--warm-up must be >= 0, was " + warmUp);
        }
        if (kinds == null || kinds.isEmpty()) {
            throw new IllegalArgumentException("--kinds must name at least one kind");
        }
        kinds = List.copyOf(kinds);
    }
}
