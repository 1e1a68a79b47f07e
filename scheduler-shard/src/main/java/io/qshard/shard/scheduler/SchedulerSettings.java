package io.qshard.shard.scheduler;

import io.qshard.kube.leader.LeaderElection;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.status.PodStatusReporter;
import java.time.Duration;
import java.util.Objects;

/**
 * Runtime knobs of a tier scheduler (the scheduling policy itself is in {@code qshard.yaml}). Immutable.
 *
 * @param bindConcurrency          bindings in flight at most (≥ 1)
 * @param scheduledEventsPerSecond per-pod {@code Scheduled} events at most; the rest are summarised
 * @param failedEventsPerSecond    {@code FailedScheduling} events + condition patches at most
 * @param leaseNamespace           namespace of the Leases {@code qshard-<tier>-<shard>} for leader election, or null to
 *                                 decide without one (a single replica per shard)
 * @param identity                 this replica's identity (its pod name): in the Lease and in shard acknowledgements
 * @param leaseDuration            how long a Lease holds without renewal (a standby takes over after it)
 * @param renewDeadline            a leader that cannot renew within this stops deciding
 * @param retryPeriod              how often candidates retry and leaders renew
 * @param volumeBindTimeout        how long PreBind waits for kube-controller-manager's PV controller to bind the claims
 *                                 VolumeBinding chose before the binding fails and the pod is retried (kube-scheduler's
 *                                 {@code bindTimeoutSeconds}, 600 s there; {@link #DEFAULT_VOLUME_BIND_TIMEOUT} here)
 * @param nodeBookings             whether each placement is booked on its node's Lease before the binding (the guard
 *                                 against scheduler processes over-booking a node, docs/architecture.md "Node
 *                                 bookings"); {@link BookingMode#AUTO} is resolved by {@link SchedulerProcess}
 */
public record SchedulerSettings(
        int bindConcurrency,
        double scheduledEventsPerSecond,
        double failedEventsPerSecond,
        String leaseNamespace,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        Duration volumeBindTimeout,
        BookingMode nodeBookings) {
    /** Default {@code --volume-bind-timeout}: a static PV binds in about a second, a cloud disk provisions in a minute. */
    public static final Duration DEFAULT_VOLUME_BIND_TIMEOUT = Duration.ofSeconds(120);

    public SchedulerSettings {
        if (bindConcurrency < 1 || bindConcurrency > 1024) {
            throw new IllegalArgumentException("--bind-concurrency must be 1..1024, was " + bindConcurrency);
        }
        if (!(scheduledEventsPerSecond > 0) || !(failedEventsPerSecond > 0)) {
            throw new IllegalArgumentException("event rates must be > 0");
        }
        Objects.requireNonNull(identity, "identity");
        if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("lease timings must satisfy retry < renew deadline < lease duration");
        }
        if (volumeBindTimeout.isNegative() || volumeBindTimeout.isZero()) {
            throw new IllegalArgumentException("--volume-bind-timeout must be > 0, was " + volumeBindTimeout);
        }
        Objects.requireNonNull(nodeBookings, "nodeBookings");
    }

    /**
     * {@code --node-bookings}: {@link #ON} books every placement on its node's Lease (one write, or a read and a write,
     * per placement); {@link #OFF} books nothing (the process's placement ledger alone keeps its tiers apart); {@link
     * #AUTO} is on with leader election ({@code --lease-namespace}) or when the process does not run every shard of
     * every tier; off only for a lone process that runs everything (no other qshard scheduler places on its nodes).
     */
    public enum BookingMode {
        AUTO,
        ON,
        OFF
    }

    /** Without node bookings ({@link BookingMode#OFF}: the Java API's default; {@code qshard run} defaults to AUTO). */
    public SchedulerSettings(
            int bindConcurrency,
            double scheduledEventsPerSecond,
            double failedEventsPerSecond,
            String leaseNamespace,
            String identity,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod,
            Duration volumeBindTimeout) {
        this(
                bindConcurrency,
                scheduledEventsPerSecond,
                failedEventsPerSecond,
                leaseNamespace,
                identity,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                volumeBindTimeout,
                BookingMode.OFF);
    }

    /** With the default volume bind timeout. */
    public SchedulerSettings(
            int bindConcurrency,
            double scheduledEventsPerSecond,
            double failedEventsPerSecond,
            String leaseNamespace,
            String identity,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {
        this(
                bindConcurrency,
                scheduledEventsPerSecond,
                failedEventsPerSecond,
                leaseNamespace,
                identity,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                DEFAULT_VOLUME_BIND_TIMEOUT);
    }

    /** Without leader election, default identity and timings. */
    public SchedulerSettings(int bindConcurrency, double scheduledEventsPerSecond, double failedEventsPerSecond) {
        this(
                bindConcurrency,
                scheduledEventsPerSecond,
                failedEventsPerSecond,
                null,
                defaultIdentity(),
                LeaderElection.DEFAULT_LEASE,
                LeaderElection.DEFAULT_RENEW_DEADLINE,
                LeaderElection.DEFAULT_RETRY);
    }

    public static SchedulerSettings defaults() {
        return new SchedulerSettings(
                Binder.DEFAULT_CONCURRENCY,
                PodStatusReporter.DEFAULT_SCHEDULED_PER_SECOND,
                PodStatusReporter.DEFAULT_FAILED_PER_SECOND);
    }

    /** @return these settings electing leaders on Leases in {@code namespace}, as {@code identity} */
    public SchedulerSettings withElection(
            String namespace, String identity, Duration lease, Duration renew, Duration retry) {
        return new SchedulerSettings(
                bindConcurrency,
                scheduledEventsPerSecond,
                failedEventsPerSecond,
                namespace,
                identity,
                lease,
                renew,
                retry,
                volumeBindTimeout,
                nodeBookings);
    }

    /** @return these settings with PreBind waiting at most {@code timeout} for the claims to be bound */
    public SchedulerSettings withVolumeBindTimeout(Duration timeout) {
        return new SchedulerSettings(
                bindConcurrency,
                scheduledEventsPerSecond,
                failedEventsPerSecond,
                leaseNamespace,
                identity,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                timeout,
                nodeBookings);
    }

    /** @return these settings with node bookings {@code mode} */
    public SchedulerSettings withNodeBookings(BookingMode mode) {
        return new SchedulerSettings(
                bindConcurrency,
                scheduledEventsPerSecond,
                failedEventsPerSecond,
                leaseNamespace,
                identity,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                volumeBindTimeout,
                mode);
    }

    /**
     * The namespace of the booking Leases {@code qshard-book-<node>}: the election's ({@code --lease-namespace},
     * {@code qshard-system} as deployed), else {@code default}, which every cluster has.
     */
    public String bookingNamespace() {
        return leaseNamespace != null ? leaseNamespace : "default";
    }

    /** $POD_NAME, else host name and pid. */
    public static String defaultIdentity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "-"
                    + ProcessHandle.current().pid();
        } catch (java.net.UnknownHostException e) {
            return "qshard-" + ProcessHandle.current().pid();
        }
    }
}
