package io.qshard.controllers.migrate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.view.ClusterView;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.kube.leader.LeaderElection;
import io.qshard.kube.metrics.Metrics;
import io.qshard.kube.write.Evictions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code qshard migrate}: the leader-elected migration loop (docs/architecture.md, "The migration loop"). Every interval, while it
 * leads: plan on the cluster view's thread ({@link MigrationPlanner}, with the tiers' own algorithms and the hot-node
 * view the schedulers use), then evict through the Eviction API (PodDisruptionBudgets hold) within the cluster-wide
 * rate, recording every decision — Events on the node and the pod, a log line, counters. In dry-run it plans and
 * reports and evicts nothing. The loop beats its {@link #heartbeat()} at every run, once the view has answered a
 * plan, and before every eviction; an exception of a cycle is logged and the next cycle runs, an {@link Error} makes
 * the heartbeat fatal. Thread-safe entry points; the ledger is used by one thread at a time (the loop's, and the view's
 * while the loop waits on it).
 */
public final class MigrationController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationController.class);

    /** Evictions the API accepted. */
    public final LongAdder evicted = new LongAdder();
    /** Evictions refused by a PodDisruptionBudget. */
    public final LongAdder blocked = new LongAdder();
    /** Evictions planned in dry-run. */
    public final LongAdder planned = new LongAdder();
    /** Hot nodes left alone (cooling down, nowhere to go, nothing may leave, a passing spike). */
    public final LongAdder skipped = new LongAdder();
    /** Evictions that failed otherwise. */
    public final LongAdder errors = new LongAdder();

    private final MigrationConfig config;
    private final boolean dryRun;
    private final Clock clock;
    private final ClusterView view;
    private final ClusterInformers informers;
    private final Evictions evictions;
    private final MigrationEvents events;
    private final MigrationPlanner planner;
    private final EvictionLedger ledger;
    private final KubernetesClient client;
    private final String leaseNamespace;
    private final String identity;
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "qshard-migrate"));
    private final Heartbeat heartbeat;
    private LeaderElection election;
    private volatile int hotNodes;

    /** As {@link #MigrationController(KubernetesClient, QshardConfig, boolean, String, String, Clock, Metrics)}, unexported. */
    public MigrationController(
            KubernetesClient client,
            QshardConfig config,
            boolean dryRun,
            String leaseNamespace,
            String identity,
            Clock clock) {
        this(client, config, dryRun, leaseNamespace, identity, clock, Metrics.NOOP);
    }

    /**
     * @param leaseNamespace namespace of the Lease {@code qshard-migrate}, or null to run without election
     * @param identity       this replica's identity
     * @param metrics        where its counters and gauges are registered (evictions by result, dry-run plans, skips,
     *                       hot nodes, leadership)
     */
    public MigrationController(
            KubernetesClient client,
            QshardConfig config,
            boolean dryRun,
            String leaseNamespace,
            String identity,
            Clock clock,
            Metrics metrics) {
        this.client = client;
        this.config = config.migration();
        this.dryRun = dryRun;
        this.clock = clock;
        this.leaseNamespace = leaseNamespace;
        this.identity = identity;
        this.heartbeat = new Heartbeat(clock);
        this.view = new ClusterView(config, clock, "migrate");
        this.informers = new ClusterInformers(client, new PodConverter(config));
        informers.addListener(view);
        this.evictions = new Evictions(client);
        this.events = new MigrationEvents(client, clock);
        PluginContext ctx = new PluginContext(config.pools(), clock);
        Map<String, SchedulingAlgorithm> algorithms = new HashMap<>();
        for (Tier t : config.tiers()) {
            algorithms.put(
                    t.name(),
                    new SchedulingAlgorithm(Profile.build(t, ShippedPlugins.registry(), ctx), config.nodesToScore()));
        }
        this.planner = new MigrationPlanner(this.config, algorithms::get);
        this.ledger = new EvictionLedger(
                this.config.cooldown(), this.config.maxPerWorkload(), this.config.maxEvictionsPerMinute());
        register(metrics);
    }

    private void register(Metrics m) {
        m.counterWithCallback(
                "qshard_migration_evictions_total", "evictions asked for, by result", List.of("result"), out -> {
                    out.sample(evicted.sum(), "evicted");
                    out.sample(blocked.sum(), "blocked_by_budget");
                    out.sample(errors.sum(), "failed");
                });
        m.counterWithCallback(
                "qshard_migration_planned_total",
                "evictions a dry run would have asked for",
                List.of(),
                out -> out.sample(planned.sum()));
        m.counterWithCallback(
                "qshard_migration_skipped_total",
                "hot nodes left alone in a cycle (cooldown, nowhere to go, a passing spike)",
                List.of(),
                out -> out.sample(skipped.sum()));
        m.gaugeWithCallback(
                "qshard_migration_hot_nodes",
                "nodes hot by the migration rule at the last cycle",
                List.of(),
                out -> out.sample(hotNodes));
        m.gaugeWithCallback(
                "qshard_migration_leader", "1 while this replica acts", List.of(), out -> out.sample(acting() ? 1 : 0));
    }

    /** Syncs the informers, contends for the Lease (when configured) and starts the cycles. */
    public void start(Duration syncTimeout) {
        informers.start(syncTimeout);
        if (leaseNamespace != null) {
            election = new LeaderElection(client, leaseNamespace, "qshard-migrate", identity, () -> {}, () -> {});
        }
        long every = config.interval().toMillis();
        heartbeat.beat(); // the loop's first run is one interval away, however long the sync took
        loop.scheduleWithFixedDelay(this::cycleIfLeading, every, every, TimeUnit.MILLISECONDS);
        LOG.info(
                "migration loop started: hot above {} % for {} reports{}, evict to {} %, every {} s{}",
                Math.round(100 * config.hotThreshold()),
                config.hotReports(),
                config.predictive() ? " or predicted" : "",
                Math.round(100 * config.targetUtilization()),
                config.interval().toSeconds(),
                dryRun ? ", DRY RUN" : "");
    }

    /**
     * The loop's heartbeat: beaten at every run (leading or not), once the cluster view has answered the cycle's plan,
     * and before each eviction — so a view that stopped answering (its thread gone) ages it too. Thread-safe.
     */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /**
     * The largest healthy age of {@link #heartbeat()}: the interval plus three API request timeouts
     * ({@link Heartbeat#maxAgeForPeriodic}; 100 s at the default 10 s interval).
     */
    public Duration heartbeatMaxAge() {
        return Heartbeat.maxAgeForPeriodic(config.interval());
    }

    /** Nodes hot by the migration rule at the last plan (0 before the first). Thread-safe. */
    public int hotNodes() {
        return hotNodes;
    }

    /** Why this replica is not ready ({@code /readyz}): informers not synced, or standing by; empty when it acts. */
    public java.util.Optional<String> notReadyReason() {
        if (!informers.hasSynced()) {
            return java.util.Optional.of("informers not synced");
        }
        return acting() ? java.util.Optional.empty() : java.util.Optional.of("not leading (standby)");
    }

    /** @return whether this replica acts (leads, or runs without election) */
    public boolean acting() {
        return election == null || election.isLeader();
    }

    private void cycleIfLeading() {
        try {
            if (!config.enabled() || !acting()) {
                heartbeat.beat();
                return;
            }
            MigrationPlan plan = plan();
            heartbeat.beat(); // the view answered
            act(plan);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.error("migration cycle failed: the cluster view did not answer within 30 s", e);
        } catch (Exception e) {
            heartbeat.beat(); // the view answered; the cycle's own bug is logged and the next cycle runs
            LOG.error("migration cycle failed", e);
        } catch (Error e) {
            LOG.error("the migration loop died; /healthz fails from now on", e);
            heartbeat.fatal(e); // the executor would run no further cycle
        }
    }

    /** Plans the next cycle without acting on it ({@code qshard migrate plan}, tests). */
    public MigrationPlan plan() throws Exception {
        Instant now = clock.instant();
        return view.read(s -> {
                    TrackerFacts facts = new TrackerFacts(s.usage(), s.cluster().snapshot(), config.transientHorizon());
                    hotNodes = facts.hotNodes();
                    return planner.plan(s.cluster().snapshot(), facts, ledger, view::isDeleting, now);
                })
                .get(30, TimeUnit.SECONDS);
    }

    /** Carries out a plan: evictions within the rate, every decision reported. */
    public void act(MigrationPlan plan) {
        Instant now = clock.instant();
        for (MigrationPlan.Skip s : plan.skips()) {
            skipped.increment();
            events.skipped(s.node(), s.reason(), now);
        }
        for (MigrationPlan.Move m : plan.moves()) {
            if (!ledger.allowNow(now)) {
                LOG.info(
                        "migration: cluster-wide rate of {} evictions/min reached; the rest waits",
                        config.maxEvictionsPerMinute());
                break;
            }
            String message = "Migrating: " + m.reason() + "; " + m.pod().tier() + " pod uses " + m.usage()
                    + "m; fits on " + m.target() + " (its scheduler decides)";
            heartbeat.beat();
            if (dryRun) {
                planned.increment();
                LOG.info("dry-run: would evict {} from {}: {}", m.pod().key(), m.from(), message);
                continue;
            }
            Evictions.Outcome outcome =
                    evictions.evict(m.pod().namespace(), m.pod().name());
            switch (outcome) {
                case EVICTED -> {
                    evicted.increment();
                    ledger.evicted(m.from(), m.pod().owner().uid(), m.pod().uid(), now);
                    LOG.info("evicted {} from {}: {}", m.pod().key(), m.from(), message);
                    events.migrating(m, message, now);
                }
                case BLOCKED_BY_BUDGET -> {
                    blocked.increment();
                    ledger.refused(m.from(), now);
                    LOG.info(
                            "eviction of {} from {} blocked by a PodDisruptionBudget",
                            m.pod().key(),
                            m.from());
                    events.blocked(m, now);
                }
                case GONE -> LOG.debug("{} is gone already", m.pod().key());
                case FAILED -> errors.increment();
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        if (election != null) {
            election.close();
        }
        informers.close();
        view.close();
    }
}
