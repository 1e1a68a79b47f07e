package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.view.ClusterView;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.replicas.Bookkeeping;
import io.qshard.core.replicas.HostedWorkload;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.HostingSpec;
import io.qshard.core.replicas.Ownership;
import io.qshard.core.replicas.PoolBalance;
import io.qshard.core.replicas.Recommendation;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.core.replicas.ReplicaGovernor;
import io.qshard.core.replicas.ReplicaPlanner;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.kube.leader.LeaderElection;
import io.qshard.kube.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code qshard replicas run}: sets the replicas of opted-in workloads of the borrowing tiers through their
 * {@code scale} subresource so each tier's pending pods stay near zero and its pool is used
 * (docs/architecture.md, "Replica hosting"), every period, while it leads its Lease {@code qshard-replicas}. Never
 * writes to a workload an HPA targets; a manual change becomes the new request. A cycle classifies the watched
 * workloads (invalid, left to an HPA, opted out, hosted), builds the hosted ones on the cluster view's thread, plans
 * ({@link ReplicaPlanner}), decides ({@link ReplicaGovernor}) and writes ({@link ReplicaWriter}: annotations, then
 * scale), each write an Event. It decides nothing (frozen) until the informers have synced, the warm-up has passed
 * and enough nodes report. The loop beats its {@link #heartbeat()} at every run and per write; an exception of a
 * cycle is logged and the next runs, an {@link Error} makes the heartbeat fatal. Thread-safe entry points.
 */
public final class ReplicaController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaController.class);

    /** Replica changes written (in dry-run: planned). */
    public final LongAdder changes = new LongAdder();
    /** Manual changes seen and recorded as the new request (not counted in dry-run, which records nothing). */
    public final LongAdder manual = new LongAdder();
    /** Writes refused by a resourceVersion precondition (re-read next cycle). */
    public final LongAdder conflicts = new LongAdder();
    /** Writes that failed otherwise (retried next cycle). */
    public final LongAdder errors = new LongAdder();

    private final KubernetesClient client;
    private final QshardConfig config;
    private final ReplicaSettings settings;
    private final Clock clock;
    private final ClusterView view;
    private final ClusterInformers informers;
    private final WorkloadWatch workloads;
    private final HpaWatch hpas;
    private final ReplicaWriter writer;
    private final ReplicaEvents events;
    private final ReplicaPlanner planner;
    private final ReplicaGovernor governor;
    private final Map<String, SchedulingAlgorithm> algorithms = new HashMap<>();
    private final ReplicaMetrics metrics;
    private final ReplicaActions actions;
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "qshard-replicas"));
    private final Heartbeat heartbeat;
    private final Map<String, Boolean> frozenSaid = new ConcurrentHashMap<>();
    private volatile LeaderElection election;
    private volatile Instant startedAt;
    private volatile List<ReplicaDecision> last = List.of();
    private volatile Map<PoolRule, PoolBalance.Figures> lastPools = Map.of();
    private volatile String frozen = "not started";
    private long seed;

    /** @param metrics where its counters and gauges are registered ({@link Metrics#NOOP} for none) */
    public ReplicaController(
            KubernetesClient client, QshardConfig config, ReplicaSettings settings, Clock clock, Metrics metrics) {
        this.client = client;
        this.config = config;
        this.settings = settings;
        this.clock = clock;
        this.heartbeat = new Heartbeat(clock);
        this.view = new ClusterView(config, clock, "replicas", false, true);
        PodConverter pods = new PodConverter(config);
        this.informers = new ClusterInformers(client, pods);
        informers.addListener(view);
        this.workloads = new WorkloadWatch(
                client, settings.kinds(), new WorkloadReader(pods, client.getKubernetesSerialization()));
        this.hpas = new HpaWatch(client);
        this.writer = new ReplicaWriter(client);
        this.events = new ReplicaEvents(client);
        this.planner = new ReplicaPlanner(new NodeRoom(config.pools()), settings.hosting());
        this.governor = new ReplicaGovernor(
                settings.hosting(),
                ReplicaGovernor.defaultMaxGap(settings.hosting().upWindow(), settings.period()));
        PluginContext ctx = new PluginContext(config.pools(), clock);
        for (Tier t : config.tiers()) {
            algorithms.put(
                    t.name(),
                    new SchedulingAlgorithm(Profile.build(t, ShippedPlugins.registry(), ctx), config.nodesToScore()));
        }
        this.metrics = new ReplicaMetrics(metrics, this);
        this.actions = new ReplicaActions(
                settings, writer, events, workloads::kind, this.metrics, changes, manual, conflicts, errors);
    }

    /** Syncs the informers, contends for the Lease (when configured) and starts the cycles. */
    public void start(Duration syncTimeout) {
        var watches = java.util.concurrent.CompletableFuture.allOf(workloads.start(), hpas.start());
        informers.start(syncTimeout);
        try {
            watches.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn(
                    "workloads or HPAs not listed within {} s; hosting stays frozen until they are",
                    syncTimeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (settings.leaseNamespace() != null) {
            election = new LeaderElection(
                    client, settings.leaseNamespace(), "qshard-replicas", settings.identity(), () -> {}, () -> {});
        }
        startedAt = clock.instant();
        heartbeat.beat(); // the loop's first run is one period away, however long the sync took
        long every = settings.period().toMillis();
        loop.scheduleWithFixedDelay(this::cycleIfLeading, every, every, TimeUnit.MILLISECONDS);
        LOG.info(
                "replica hosting started: every {} s, kinds {}, up window {} s, min interval {} s, hysteresis {},"
                        + " ≤ {} replicas/min{}",
                settings.period().toSeconds(),
                settings.kinds().stream().map(k -> k.plural() + "." + k.group()).toList(),
                settings.hosting().upWindow().toSeconds(),
                settings.hosting().minInterval().toSeconds(),
                settings.hosting().hysteresis(),
                settings.hosting().maxReplicasPerMinute(),
                settings.dryRun() ? ", DRY RUN" : "");
    }

    /** The loop's heartbeat (as {@code OversaleController}'s): every run, once the view has answered, per write. */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /** The largest healthy age of {@link #heartbeat()} ({@link Heartbeat#maxAgeForPeriodic}). */
    public Duration heartbeatMaxAge() {
        return Heartbeat.maxAgeForPeriodic(settings.period());
    }

    /** @return whether this replica acts (leads, or runs without election) */
    public boolean acting() {
        LeaderElection e = election;
        return e == null || e.isLeader();
    }

    /**
     * Why this replica is not ready ({@code /readyz}): informers not synced, HPAs not listable, frozen, or standing
     * by; empty when it acts.
     */
    public Optional<String> notReadyReason() {
        if (!informers.hasSynced() || !workloads.synced()) {
            return Optional.of("informers not synced");
        }
        if (hpas.forbidden()) {
            return Optional.of("cannot list horizontalpodautoscalers");
        }
        if (!acting()) {
            return Optional.of("not leading (standby)");
        }
        return frozenReason().map(r -> "frozen: " + r);
    }

    private void cycleIfLeading() {
        try {
            if (!acting()) {
                standBy();
                heartbeat.beat();
                return;
            }
            cycle();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.error("replica hosting cycle failed: the cluster view did not answer within 30 s", e);
        } catch (Exception e) {
            heartbeat.beat(); // the view answered; the cycle's own bug is logged and the next cycle runs
            LOG.error("replica hosting cycle failed", e);
        } catch (Error e) {
            LOG.error("the replica hosting loop died; /healthz fails from now on", e);
            heartbeat.fatal(e); // the executor would run no further cycle
        }
    }

    /** One cycle: plan on the view's thread, decide, then write within the rate. @return the decisions */
    public synchronized List<ReplicaDecision> cycle() throws Exception {
        Instant now = clock.instant();
        String notYet = notYet(now);
        if (notYet != null) {
            freeze(notYet);
            heartbeat.beat();
            return List.of();
        }
        List<ReplicaDecision> aside = new ArrayList<>();
        List<HostingInputs.Candidate> candidates = classify(now, aside);
        Planned planned = view.read(s -> {
                    HostingInputs in = HostingInputs.read(
                            s,
                            candidates,
                            workloads::workloadOf,
                            view::isDeleting,
                            config.pools().estimateFactor());
                    if (in.nodes() == 0 || in.reporting() < settings.hosting().freshShare() * in.nodes()) {
                        return new Planned(in, null);
                    }
                    List<HostedWorkload> sorted = new ArrayList<>(in.workloads());
                    sorted.sort(HostedWorkload.importance(t -> -config.tier(t).priority()));
                    return new Planned(
                            in, planner.plan(in.snapshot(), sorted, in.otherPending(), algorithms::get, seed++));
                })
                .get(30, TimeUnit.SECONDS);
        heartbeat.beat(); // the view answered
        if (planned.plan() == null) {
            freeze(String.format(
                    Locale.ROOT,
                    "%d of %d nodes have a fresh usage report (< %.0f %%)",
                    planned.in().reporting(),
                    planned.in().nodes(),
                    100 * settings.hosting().freshShare()));
            return List.of();
        }
        thaw();
        lastPools = Map.copyOf(planned.plan().before());
        Map<WorkloadKey, WorkloadFacts> facts = new HashMap<>();
        candidates.forEach(c -> facts.put(c.facts().key(), c.facts()));
        Map<WorkloadKey, HostedWorkload> hosted = new HashMap<>();
        planned.in().workloads().forEach(w -> hosted.put(w.key(), w));
        List<ReplicaDecision> held = new ArrayList<>();
        List<ReplicaDecision> decided = new ArrayList<>();
        for (Recommendation rec : planned.plan().recommendations()) {
            HostedWorkload w = hosted.get(rec.key());
            Ownership ownership = Ownership.classify(w.current(), w.book(), now, notLandedGrace());
            if (ownership == Ownership.MANUAL) {
                held.add(actions.manualChange(facts.get(w.key()), w, rec, now));
            } else if (ownership == Ownership.NOT_LANDED) {
                // the last scale was refused (a 409 from a status write between our two writes): its change time
                // is recorded but nothing changed, so the min interval does not apply to the retry
                decided.add(governor.decide(notLanded(w), rec, now));
            } else {
                decided.add(governor.decide(w, rec, now));
            }
        }
        // a down waits while replicas are still leaving or a pod's workload is unknown (HostingInputs.holdDowns);
        // nothing is tried while writes back off after failures (ReplicaActions): neither uses the rate budget
        Map<WorkloadKey, String> holdDowns = planned.in().holdDowns();
        decided.replaceAll(d -> d.direction() == ReplicaDecision.Direction.DOWN && holdDowns.containsKey(d.key())
                ? d.limitedTo(null, "hold: " + holdDowns.get(d.key()))
                : d.next() != null && actions.backingOff(d.key(), now)
                        ? d.limitedTo(null, "hold: writes back off after failures")
                        : d);
        governor.retain(hosted.keySet());
        List<ReplicaDecision> limited = governor.limit(decided, now);
        for (ReplicaDecision d : limited) {
            if (d.next() != null) {
                heartbeat.beat();
                actions.apply(facts.get(d.key()), hosted.get(d.key()), d, now);
            }
        }
        List<ReplicaDecision> all = new ArrayList<>(limited);
        all.addAll(held);
        Map<WorkloadKey, Integer> order = new HashMap<>();
        List<HostedWorkload> sorted = new ArrayList<>(hosted.values());
        sorted.sort(HostedWorkload.importance(t -> -config.tier(t).priority()));
        for (int i = 0; i < sorted.size(); i++) {
            order.put(sorted.get(i).key(), i);
        }
        all.sort(java.util.Comparator.comparingInt(d -> order.getOrDefault(d.key(), Integer.MAX_VALUE)));
        all.addAll(aside);
        last = List.copyOf(all);
        metrics.cycled(all, governor.rateLimited());
        return last;
    }

    /** {@code w} without the change time of a write that did not land. */
    private static HostedWorkload notLanded(HostedWorkload w) {
        Bookkeeping b = w.book();
        return new HostedWorkload(
                w.key(),
                w.uid(),
                w.tier(),
                w.template(),
                w.spec(),
                new Bookkeeping(b.request(), b.set(), b.setFrom(), null, b.requestChangedAt()),
                w.current(),
                w.bound(),
                w.pending(),
                w.perReplica(),
                w.created());
    }

    /** Sorts the watched workloads: hosting candidates returned, the rest (invalid, HPA) as HOLD decisions. */
    private List<HostingInputs.Candidate> classify(Instant now, List<ReplicaDecision> aside) {
        List<HostingInputs.Candidate> out = new ArrayList<>();
        for (WorkloadFacts f : workloads.facts()) {
            HostingAnnotations.Parsed p =
                    HostingAnnotations.parse(f.annotations(), settings.hosting().maxReplicasCap());
            if (p.problem() != null) {
                aside.add(invalid(f, p.problem(), now));
                continue;
            }
            if (!p.spec().enabled()) {
                if (p.book().present()) {
                    // an HPA that took the workload over owns its replicas now: only the bookkeeping goes
                    actions.optOut(f, p.book(), now, hpas.targetedBy(f.key()).isEmpty());
                }
                continue;
            }
            String problem = f.problem() != null ? f.problem() : tierProblem(f.template());
            if (problem != null) {
                aside.add(invalid(f, problem, now));
                continue;
            }
            if (p.bookProblem() != null) {
                invalid(f, p.bookProblem() + " (treated as absent; rewritten at the next change)", now);
            }
            Optional<HpaWatch.Target> hpa = hpas.targetedBy(f.key());
            if (hpa.isPresent()) {
                String why = "left alone: " + hpa.get().describe();
                if (!settings.dryRun()
                        && events.conflict(
                                f,
                                hpa.get().uid(),
                                "targeted by " + hpa.get().describe() + ": replica hosting leaves it alone",
                                now)) {
                    LOG.info("{}: {}", f.key(), why);
                }
                aside.add(hold(f, f.template().tier(), p.spec(), p.book(), why));
                continue;
            }
            out.add(new HostingInputs.Candidate(f, p));
        }
        return out;
    }

    private String tierProblem(PodRequest template) {
        if (template.tier() == null) {
            return "replica hosting is for the borrowing tiers; its pods are of no qshard tier";
        }
        if (template.poolRule() == PoolRule.ALLOCATABLE) {
            return "replica hosting is for the borrowing tiers; its pods are " + template.tier();
        }
        return null;
    }

    private ReplicaDecision invalid(WorkloadFacts f, String problem, Instant now) {
        if (!settings.dryRun() && events.invalid(f, problem, now)) {
            LOG.warn("{}: replica hosting refused: {}", f.key(), problem);
        }
        String tier = f.template() == null || f.template().tier() == null
                ? ""
                : f.template().tier();
        return hold(f, tier, HostingSpec.OFF, Bookkeeping.NONE, "invalid: " + problem);
    }

    private static ReplicaDecision hold(WorkloadFacts f, String tier, HostingSpec spec, Bookkeeping book, String why) {
        int request = book.request() == null ? f.replicas() : book.request();
        return new ReplicaDecision(
                f.key(),
                tier,
                spec,
                request,
                f.replicas(),
                0,
                0,
                f.replicas(),
                null,
                ReplicaDecision.Direction.HOLD,
                why);
    }

    /** Why no decision may be made now (not synced, HPAs unknown, warming up), or null. */
    private String notYet(Instant now) {
        if (!informers.hasSynced() || !workloads.synced() || !hpas.synced()) {
            return hpas.forbidden() ? "cannot list horizontalpodautoscalers" : "informers not synced";
        }
        Instant since = startedAt;
        if (since == null || now.isBefore(since.plus(settings.warmUp()))) {
            return "warming up until " + (since == null ? "start" : since.plus(settings.warmUp()));
        }
        return null;
    }

    /**
     * How long after its own change a workload back at F (set-from) is taken for a scale that did not land: 3 periods
     * (the retry comes the next cycle; two more for a slow or skipped one). Later it is the owner's revert: MANUAL.
     */
    private Duration notLandedGrace() {
        return settings.period().multipliedBy(3);
    }

    /** Not acting (standby or lost lease): forget the up windows, so acting again needs freshly spanned ones. */
    private synchronized void standBy() {
        governor.reset();
    }

    private void freeze(String reason) {
        governor.reset(); // no decisions while frozen: the windows would have a gap
        frozen = reason;
        if (frozenSaid.putIfAbsent(reason.replaceAll("[0-9]", ""), Boolean.TRUE) == null) {
            LOG.info("replica hosting holds: {}", reason);
        }
    }

    private void thaw() {
        if (frozen != null) {
            governor.reset(); // defensive: freeze() already forgot them
        }
        if (frozen != null && !frozenSaid.isEmpty()) {
            LOG.info("replica hosting acts again");
        }
        frozen = null;
        frozenSaid.clear();
    }

    /**
     * The last cycle's decisions, including workloads left alone (HPA, invalid: direction HOLD with the reason),
     * most important first. Thread-safe.
     */
    public List<ReplicaDecision> lastDecisions() {
        return last;
    }

    /** The last cycle's pool figures per borrowing class. Thread-safe. */
    public Map<PoolRule, PoolBalance.Figures> lastPools() {
        return lastPools;
    }

    /** Why the last cycle decided nothing (not synced, warming up, reports not fresh), or empty. Thread-safe. */
    public Optional<String> frozenReason() {
        return Optional.ofNullable(frozen);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        if (election != null) {
            election.close();
        }
        events.close();
        hpas.close();
        workloads.close();
        informers.close();
        view.close();
    }

    private record Planned(HostingInputs in, ReplicaPlanner.Plan plan) {}
}
