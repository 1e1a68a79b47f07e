package io.qshard.controllers.oversale;

import java.time.Duration;

/**
 * The oversale controller's settings. Immutable.
 *
 * @param cpu            the cpu ratio policy
 * @param memory         the memory ratio policy
 * @param period         how often the ratios are reconsidered
 * @param dryRun         log what would change, write nothing
 * @param leaseNamespace the Lease's namespace for leader election, or null to run without one (a single replica)
 * @param identity       this replica's identity (its pod name)
 */
public record OversaleSettings(
        RatioPolicy cpu, RatioPolicy memory, Duration period, boolean dryRun, String leaseNamespace, String identity) {
    public OversaleSettings {
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--period must be at least 1s");
        }
    }
}
