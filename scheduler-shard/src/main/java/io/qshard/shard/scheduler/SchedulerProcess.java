package io.qshard.shard.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.booking.NodeBookings;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.model.Tier;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.client.NativeTlsHttpClientFactory;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.health.HealthChecks;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.kube.metrics.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedulers of one process: one API client, one pair of informers, one {@link TierScheduler} per tier.
 * Started with {@link #start} (which fails fast if the apiserver is unreachable or the informers do not
 * sync), stopped with {@link #stop}. Thread-safe for start/stop from one controlling thread.
 */
public final class SchedulerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerProcess.class);

    private final KubernetesClient client;
    private final ClusterInformers informers;
    private final List<TierScheduler> schedulers;
    private final io.qshard.shard.shardmap.ShardMapWatcher shardMaps;
    private final List<io.qshard.kube.leader.LeaderElection> elections = new ArrayList<>();
    private final NodeBookings bookings;

    private SchedulerProcess(
            KubernetesClient client,
            ClusterInformers informers,
            List<TierScheduler> schedulers,
            io.qshard.shard.shardmap.ShardMapWatcher shardMaps,
            NodeBookings bookings) {
        this.client = client;
        this.informers = informers;
        this.schedulers = schedulers;
        this.shardMaps = shardMaps;
        this.bookings = bookings;
    }

    /** One instance to run: a tier and one of its shards. */
    public record Instance(Tier tier, int shard) {
        public Instance {
            if (shard < 0 || shard >= tier.shards()) {
                throw new IllegalArgumentException(
                        "--shard " + shard + " is out of range: tier '" + tier.name() + "' has " + tier.shards()
                                + " shard" + (tier.shards() == 1 ? " (0)" : "s (0.." + (tier.shards() - 1) + ")"));
            }
        }
    }

    /** Every shard of every tier given. */
    public static List<Instance> allShards(List<Tier> tiers) {
        List<Instance> out = new ArrayList<>();
        for (Tier t : tiers) {
            for (int s = 0; s < t.shards(); s++) {
                out.add(new Instance(t, s));
            }
        }
        return out;
    }

    /**
     * Whether a process running {@code instances} with {@code settings} books its placements: {@code ON} and
     * {@code OFF} as said; {@code AUTO} books when leader election is configured ({@code --lease-namespace}: replicas
     * elect a leader per instance, so the leaders of two tiers may sit in two processes) or when the instances are not
     * every shard of every tier of {@code config}. Only a lone process running everything has one placement ledger
     * for all of qshard's placements and needs none.
     */
    public static boolean booksNodes(SchedulerSettings settings, QshardConfig config, List<Instance> instances) {
        return switch (settings.nodeBookings()) {
            case ON -> true;
            case OFF -> false;
            case AUTO ->
                settings.leaseNamespace() != null
                        || !new java.util.HashSet<>(instances).containsAll(allShards(config.tiers()));
        };
    }

    /**
     * Connects (resolving the kubeconfig like kubectl), syncs the informers and starts one scheduler per instance.
     *
     * @param metrics where the process registers its metrics once synced (one process per {@code Metrics})
     */
    public static SchedulerProcess start(
            Path kubeconfig,
            QshardConfig config,
            PluginRegistry registry,
            List<Instance> instances,
            SchedulerSettings settings,
            Duration syncTimeout,
            Clock clock,
            Metrics metrics) {
        KubeconfigResolver.Resolved resolved = KubeconfigResolver.resolve(kubeconfig);
        String agent = "qshard-scheduler/"
                + (instances.size() == 1 ? instances.get(0).tier().name() : "all-tiers");
        ApiserverConnection.open(resolved, agent).close(); // fail fast, one clear line
        return startInstances(
                io.qshard.kube.client.ApiClients.create(resolved.config(), agent),
                config,
                registry,
                instances,
                settings,
                syncTimeout,
                clock,
                metrics);
    }

    /** Starts every shard of the given tiers on an existing client (tests); the process owns and closes it. */
    public static SchedulerProcess start(
            KubernetesClient client,
            QshardConfig config,
            PluginRegistry registry,
            List<Tier> tiers,
            SchedulerSettings settings,
            Duration syncTimeout,
            Clock clock) {
        return startInstances(client, config, registry, allShards(tiers), settings, syncTimeout, clock);
    }

    /** Starts the given (tier, shard) instances on an existing client, metrics kept unexported; the process owns the client. */
    public static SchedulerProcess startInstances(
            KubernetesClient client,
            QshardConfig config,
            PluginRegistry registry,
            List<Instance> instances,
            SchedulerSettings settings,
            Duration syncTimeout,
            Clock clock) {
        return startInstances(client, config, registry, instances, settings, syncTimeout, clock, Metrics.NOOP);
    }

    /**
     * Starts the given (tier, shard) instances on an existing client; the process owns and closes it.
     *
     * @param metrics where the process registers its metrics once synced (one process per {@code Metrics})
     */
    public static SchedulerProcess startInstances(
            KubernetesClient client,
            QshardConfig config,
            PluginRegistry registry,
            List<Instance> instances,
            SchedulerSettings settings,
            Duration syncTimeout,
            Clock clock,
            Metrics metrics) {
        ClusterInformers informers = new ClusterInformers(client, new PodConverter(config));
        List<TierScheduler> schedulers = new ArrayList<>();
        PlacementLedger ledger = new PlacementLedger();
        boolean sharded = instances.stream().anyMatch(i -> i.tier().shards() > 1);
        io.qshard.shard.shardmap.ShardMapWatcher shardMaps = null;
        if (sharded) {
            if (!client.supports(io.qshard.kube.api.ShardMap.class)) {
                client.close();
                throw new io.qshard.kube.process.UserError("a sharded tier needs the ShardMap CRD: kubectl apply -f "
                        + io.qshard.kube.api.ShardMap.MANIFEST);
            }
            shardMaps = new io.qshard.shard.shardmap.ShardMapWatcher(client);
        }
        NodeBookings bookings = booksNodes(settings, config, instances)
                ? new NodeBookings(
                        new ApiNodeBookings(client, settings.bookingNamespace()),
                        clock,
                        NodeBookings.ttlFor(settings.volumeBindTimeout()))
                : null;
        for (Instance i : instances) {
            TierScheduler s = new TierScheduler(
                    i.tier(),
                    i.shard(),
                    config,
                    registry,
                    settings,
                    clock,
                    SchedulerPorts.forApi(client, i.tier(), i.shard(), settings, clock)
                            .withBookings(bookings));
            s.joinLedger(ledger);
            informers.addListener(s);
            if (shardMaps != null) {
                shardMaps.addListener(s);
            }
            schedulers.add(s);
        }
        try {
            informers.start(syncTimeout);
            if (shardMaps != null) {
                shardMaps.start(syncTimeout);
            }
        } catch (Exception e) {
            informers.close();
            if (shardMaps != null) {
                shardMaps.close();
            }
            client.close();
            throw e instanceof RuntimeException r
                    ? r
                    : new io.qshard.kube.process.UserError("shard maps did not sync: " + e, e);
        }
        SchedulerMetricsExport.register(metrics, schedulers, informers, config);
        if (shardMaps != null) {
            io.qshard.shard.shardmap.ShardMapWatcher watcher = shardMaps;
            metrics.counterWithCallback(
                    "qshard_shardmap_refused_total",
                    "ShardMaps refused as invalid (the instances keep the last valid map)",
                    List.of(),
                    out -> out.sample((double) watcher.refused.sum()));
        }
        if (bookings != null) {
            NodeBookings b = bookings;
            metrics.counterWithCallback(
                    "qshard_node_bookings_total",
                    "Node bookings by result: booked, refused (node booked up by other processes), conflict (a write "
                            + "that lost the race and was retried), failed",
                    List.of("result"),
                    out -> {
                        out.sample((double) b.booked.sum(), "booked");
                        out.sample((double) b.refused.sum(), "refused");
                        out.sample((double) b.conflicts.sum(), "conflict");
                        out.sample((double) b.failed.sum(), "failed");
                    });
        }
        schedulers.forEach(TierScheduler::start);
        SchedulerProcess process = new SchedulerProcess(client, informers, schedulers, shardMaps, bookings);
        if (settings.leaseNamespace() != null) {
            for (TierScheduler s : schedulers) {
                process.elections.add(new io.qshard.kube.leader.LeaderElection(
                        client,
                        settings.leaseNamespace(),
                        "qshard-" + s.tier().name() + "-" + s.shard(),
                        settings.identity(),
                        settings.leaseDuration(),
                        settings.renewDeadline(),
                        settings.retryPeriod(),
                        () -> s.lead(true),
                        () -> s.lead(false)));
            }
        }
        LOG.info(
                "scheduling {} (TLS: {}{})",
                instances.stream()
                        .map(i -> i.tier().shards() > 1
                                ? i.tier().name() + "/" + i.shard()
                                : i.tier().name())
                        .toList(),
                NativeTlsHttpClientFactory.available() ? "BoringSSL via netty-tcnative" : "JDK JSSE",
                (settings.leaseNamespace() != null
                                ? ", leader election in " + settings.leaseNamespace() + " as " + settings.identity()
                                : "")
                        + (bookings != null
                                ? ", node bookings on Leases in " + settings.bookingNamespace()
                                : ", node bookings off"));
        return process;
    }

    /** The process's node bookings, empty when they are off ({@link #booksNodes}). */
    public java.util.Optional<NodeBookings> bookings() {
        return java.util.Optional.ofNullable(bookings);
    }

    public List<TierScheduler> schedulers() {
        return List.copyOf(schedulers);
    }

    public ClusterInformers informers() {
        return informers;
    }

    /**
     * Why this process is not ready, or empty when it is: its informers have synced and every instance leads its
     * shard (and has acknowledged a shard map when sharded). Thread-safe ({@code /readyz}).
     */
    public java.util.Optional<String> notReadyReason() {
        if (!informers.hasSynced()) {
            return java.util.Optional.of("informers not synced");
        }
        List<String> why = schedulers.stream()
                .map(TierScheduler::notReadyReason)
                .flatMap(java.util.Optional::stream)
                .toList();
        return why.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", why));
    }

    /**
     * Adds every instance's decision loop to {@code health}, as {@code decision/<tier>} ({@code decision/<tier>/<shard>}
     * for a sharded tier) with {@link TierScheduler#HEARTBEAT_MAX_AGE}; the test hook of each injects a fatal error
     * into its loop ({@link TierScheduler#injectFatalError}).
     */
    public void registerHealth(HealthChecks health) {
        for (TierScheduler s : schedulers) {
            String name = "decision/" + s.tier().name() + (s.tier().shards() > 1 ? "/" + s.shard() : "");
            health.add(
                    name,
                    s.heartbeat(),
                    TierScheduler.HEARTBEAT_MAX_AGE,
                    () -> s.injectFatalError("killed by the test hook POST /debug/kill"));
        }
    }

    /** Graceful: stop deciding, wait for in-flight bindings up to {@code grace}, release the Leases, close the rest. */
    public void stop(Duration grace) {
        schedulers.forEach(s -> s.lead(false));
        schedulers.forEach(s -> s.stop(grace));
        elections.forEach(io.qshard.kube.leader.LeaderElection::close);
        closeWatchers();
        client.close();
    }

    /**
     * Abrupt, as a crash (tests): stop the decision loops and drop the connection without waiting; the Leases are not
     * released (the client is gone first), so standbys take over only when they expire.
     */
    public void kill() {
        schedulers.forEach(TierScheduler::kill);
        client.close();
        elections.forEach(io.qshard.kube.leader.LeaderElection::close);
        closeWatchers();
    }

    private void closeWatchers() {
        informers.close();
        if (shardMaps != null) {
            shardMaps.close();
        }
    }
}
