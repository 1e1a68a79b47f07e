package io.qshard.kube.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on one {@code coordination.k8s.io/v1} Lease with fabric8's leader elector (≥ 7.7, which fixed the
 * dual-leader race): only the leader acts; a standby takes over within the lease duration after the leader dies; a
 * leader that cannot renew before the renew deadline stops acting at once ({@link #isLeader} turns false before the
 * callback runs) and releases the lease when closed. Thread-safe.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    /** Defaults as kube-scheduler's: lease 15 s, renew deadline 10 s, retry every 2 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);

    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(2);

    private final AtomicBoolean leading = new AtomicBoolean();
    private final CompletableFuture<?> running;
    private final String lease;

    /**
     * Starts contending.
     *
     * @param client    the API
     * @param namespace the Lease's namespace
     * @param name      the Lease's name
     * @param identity  this replica's identity (its pod name)
     * @param onStart   run (on the elector's thread) when this replica becomes leader
     * @param onStop    run when it stops being leader (lost the lease, or closing)
     */
    public LeaderElection(
            KubernetesClient client,
            String namespace,
            String name,
            String identity,
            Runnable onStart,
            Runnable onStop) {
        this(client, namespace, name, identity, DEFAULT_LEASE, DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY, onStart, onStop);
    }

    public LeaderElection(
            KubernetesClient client,
            String namespace,
            String name,
            String identity,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod,
            Runnable onStart,
            Runnable onStop) {
        this.lease = namespace + "/" + name;
        LeaderElector elector = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(name)
                        .withLock(new LeaseLock(namespace, name, identity))
                        .withLeaseDuration(leaseDuration)
                        .withRenewDeadline(renewDeadline)
                        .withRetryPeriod(retryPeriod)
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    leading.set(true);
                                    LOG.info("{} leads {}", identity, lease);
                                    onStart.run();
                                },
                                () -> {
                                    leading.set(false);
                                    LOG.info("{} no longer leads {}", identity, lease);
                                    onStop.run();
                                },
                                newLeader -> LOG.info("{}: leader is {}", lease, newLeader)))
                        .build())
                .build();
        this.running = elector.start();
    }

    /** @return whether this replica leads now */
    public boolean isLeader() {
        return leading.get();
    }

    /** Stops contending, releasing the lease if held. */
    @Override
    public void close() {
        leading.set(false);
        running.cancel(true);
    }
}
