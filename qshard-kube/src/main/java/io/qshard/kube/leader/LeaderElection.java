package io.qshard.kube.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on one {@code coordination.k8s.io/v1} Lease with fabric8's leader elector (≥ 7.7, which fixed the
 * dual-leader race): only the leader acts; a standby takes over within the lease duration after the leader dies; a
 * leader that cannot renew before the renew deadline stops acting at once ({@link #isLeader} turns false before the
 * callback runs) and releases the lease when closed. A replica that lost its lease contends again two lease
 * durations later (kube-scheduler exits instead and is restarted by its Deployment: a similar wait, without losing the
 * process's other tiers), so a single replica whose lease was taken leads again once the taker's term expires, and a
 * standby that was already contending takes over first.
 * Thread-safe.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    /** Defaults as kube-scheduler's: lease 15 s, renew deadline 10 s, retry every 2 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);

    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(2);

    private final AtomicBoolean leading = new AtomicBoolean();
    /** Re-contention after a lost lease, shared by every election of the process. */
    private static final ScheduledExecutorService RECONTEND = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qshard-leader-recontend");
        t.setDaemon(true);
        return t;
    });

    private final String lease;
    private final Supplier<CompletableFuture<?>> contend;
    private final Duration recontendAfter;
    private final Runnable onStop;
    private CompletableFuture<?> running;
    private volatile boolean closed;

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
        this.contend = () -> client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(name)
                        .withLock(new TolerantLeaseLock(namespace, name, identity))
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
                .build()
                .start();
        this.recontendAfter = leaseDuration.multipliedBy(2);
        this.onStop = onStop;
        start();
    }

    /** Starts an elector; when it ends without {@link #close} (the lease was lost), starts another later. */
    private synchronized void start() {
        if (closed) {
            return;
        }
        CompletableFuture<?> f = contend.get();
        running = f;
        f.whenComplete((ok, err) -> {
            if (closed) {
                return;
            }
            if (leading.compareAndSet(true, false)) { // the elector ended without telling: stop acting all the same
                LOG.warn("{}: the elector ended while leading; this replica stops acting", lease);
                onStop.run();
            }
            LOG.info(
                    "{}: standing by; contending again in {} s{}",
                    lease,
                    recontendAfter.toSeconds(),
                    err == null ? "" : " (" + err + ")");
            RECONTEND.schedule(this::start, recontendAfter.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** @return whether this replica leads now */
    public boolean isLeader() {
        return leading.get();
    }

    /** Stops contending, releasing the lease if held. */
    @Override
    public void close() {
        CompletableFuture<?> f;
        synchronized (this) {
            closed = true;
            f = running;
        }
        leading.set(false);
        f.cancel(true);
    }
}
