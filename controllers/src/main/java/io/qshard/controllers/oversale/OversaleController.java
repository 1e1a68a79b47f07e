package io.qshard.controllers.oversale;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.controllers.view.ClusterView;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.kube.leader.LeaderElection;
import io.qshard.kube.metrics.Metrics;
import io.qshard.kube.write.Patches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code qshard oversale}: sets each opted-in node's oversale ratios from the usage view and its predictions
 * ({@link RatioPolicy}), every period, while it leads its Lease. A change is one metadata patch of the node's ratio
 * annotations and {@value OversalePlan#CHANGED_AT}, plus an Event on the node; the webhook applies the new ratios at
 * the node's next {@code nodes/status} write. In dry-run it only logs. The loop beats its {@link #heartbeat()} at every run, once
 * the view has answered, and per node written; an exception of a cycle is logged and the next cycle runs, an
 * {@link Error} makes the heartbeat fatal. Thread-safe entry points.
 */
public final class OversaleController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OversaleController.class);

    /** Ratio changes written (or, in dry-run, planned). */
    public final LongAdder changes = new LongAdder();
    /** Invalid ratio annotations found (and replaced). */
    public final LongAdder refused = new LongAdder();
    /** Writes that failed (retried next cycle). */
    public final LongAdder errors = new LongAdder();

    private final KubernetesClient client;
    private final OversaleSettings settings;
    private final Clock clock;
    private final ClusterView view;
    private final ClusterInformers informers;
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "qshard-oversale"));
    private final Heartbeat heartbeat;
    private volatile LeaderElection election;

    /** A controller whose counters are kept but not exported. */
    public OversaleController(KubernetesClient client, QshardConfig config, OversaleSettings settings, Clock clock) {
        this(client, config, settings, clock, Metrics.NOOP);
    }

    /** @param metrics where its counters (changes, refused ratios, write errors) and leadership are registered */
    public OversaleController(
            KubernetesClient client, QshardConfig config, OversaleSettings settings, Clock clock, Metrics metrics) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.heartbeat = new Heartbeat(clock);
        this.view = new ClusterView(config, clock, "oversale");
        this.informers = new ClusterInformers(client, new PodConverter(config));
        informers.addListener(view);
        metrics.counterWithCallback(
                "qshard_oversale_ratio_changes_total",
                "ratio changes written (in dry-run: planned)",
                List.of(),
                out -> out.sample(changes.sum()));
        metrics.counterWithCallback(
                "qshard_oversale_refused_ratios_total",
                "invalid ratio annotations found and replaced",
                List.of(),
                out -> out.sample(refused.sum()));
        metrics.counterWithCallback(
                "qshard_oversale_write_errors_total",
                "ratio writes that failed (retried next cycle)",
                List.of(),
                out -> out.sample(errors.sum()));
        metrics.gaugeWithCallback(
                "qshard_oversale_leader", "1 while this replica acts", List.of(), out -> out.sample(acting() ? 1 : 0));
    }

    /** Syncs the informers, contends for the Lease (when configured) and starts the cycles. */
    public void start(Duration syncTimeout) {
        informers.start(syncTimeout);
        if (settings.leaseNamespace() != null) {
            election = new LeaderElection(
                    client, settings.leaseNamespace(), "qshard-oversale", settings.identity(), () -> {}, () -> {});
        }
        heartbeat.beat(); // the loop's first run is one period away, however long the sync took
        loop.scheduleWithFixedDelay(
                this::cycleIfLeading,
                settings.period().toMillis(),
                settings.period().toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info(
                "oversale controller started: every {} s, cpu ≤ {}, memory ≤ {}, step ≤ {}, at most every {} min{}",
                settings.period().toSeconds(),
                settings.cpu().max(),
                settings.memory().max(),
                settings.cpu().maxStep(),
                settings.cpu().minInterval().toMinutes(),
                settings.dryRun() ? ", DRY RUN" : "");
    }

    /**
     * The loop's heartbeat: beaten at every run (leading or not), once the cluster view has answered the cycle's plan,
     * and per node it writes — so a view that stopped answering ages it too. Thread-safe.
     */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /**
     * The largest healthy age of {@link #heartbeat()}: the period plus three API request timeouts
     * ({@link Heartbeat#maxAgeForPeriodic}; 150 s at the default 60 s period).
     */
    public Duration heartbeatMaxAge() {
        return Heartbeat.maxAgeForPeriodic(settings.period());
    }

    /** @return whether this replica acts (leads, or runs without election) */
    public boolean acting() {
        LeaderElection e = election;
        return e == null || e.isLeader();
    }

    /** Why this replica is not ready ({@code /readyz}): informers not synced, or standing by; empty when it acts. */
    public java.util.Optional<String> notReadyReason() {
        if (!informers.hasSynced()) {
            return java.util.Optional.of("informers not synced");
        }
        return acting() ? java.util.Optional.empty() : java.util.Optional.of("not leading (standby)");
    }

    private void cycleIfLeading() {
        try {
            if (!acting()) {
                heartbeat.beat();
                return;
            }
            cycle();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.error("oversale cycle failed: the cluster view did not answer within 30 s", e);
        } catch (Exception e) {
            heartbeat.beat(); // the view answered; the cycle's own bug is logged and the next cycle runs
            LOG.error("oversale cycle failed", e);
        } catch (Error e) {
            LOG.error("the oversale loop died; /healthz fails from now on", e);
            heartbeat.fatal(e); // the executor would run no further cycle
        }
    }

    /** One cycle: plan on the view's thread, then write. @return the plan */
    public List<OversalePlan.Facts> cycle() throws Exception {
        List<OversalePlan.Facts> plan = view.read(s -> OversalePlan.compute(s, settings.cpu(), settings.memory()))
                .get(30, TimeUnit.SECONDS);
        heartbeat.beat(); // the view answered
        for (OversalePlan.Facts f : plan) {
            heartbeat.beat();
            report(
                    f.node(),
                    OversaleRatio.CPU_ANNOTATION,
                    f.cpuRatio(),
                    settings.cpu().max());
            report(
                    f.node(),
                    OversaleRatio.MEMORY_ANNOTATION,
                    f.memoryRatio(),
                    settings.memory().max());
            if (f.changes()) {
                apply(f);
            }
        }
        return plan;
    }

    private void report(String node, String annotation, String value, double max) {
        var parsed = OversaleRatio.parse(value, max);
        if (parsed.isPresent() && !parsed.get().valid()) {
            refused.increment();
            LOG.warn(
                    "node {}: {}={} refused: {} (replacing it)",
                    node,
                    annotation,
                    value,
                    parsed.get().problem());
            event(
                    node,
                    "OversaleRatioRefused",
                    annotation + "='" + value + "' refused: " + parsed.get().problem(),
                    "Warning");
        }
    }

    private void apply(OversalePlan.Facts f) {
        String why = String.format(
                Locale.ROOT,
                "cpu %s → %s, memory %s → %s (requested %dm / %d MiB of %dm / %d MiB real; " + "predicted peak %s)",
                f.cpuRatio(),
                f.nextCpu() == null ? f.cpuRatio() : f.nextCpu(),
                f.memoryRatio(),
                f.nextMemory() == null ? f.memoryRatio() : f.nextMemory(),
                f.requested().milliCpu(),
                f.requested().memoryBytes() >> 20,
                f.realCpu(),
                f.realMemory() >> 20,
                f.peak() == null
                        ? "unknown: no fresh report"
                        : f.peak().milliCpu() + "m / " + (f.peak().memoryBytes() >> 20) + " MiB");
        changes.increment();
        if (settings.dryRun()) {
            LOG.info("dry-run: node {}: would set {}", f.node(), why);
            return;
        }
        StringBuilder ann = new StringBuilder("{\"metadata\":{\"annotations\":{");
        if (f.nextCpu() != null) {
            ann.append('"')
                    .append(OversaleRatio.CPU_ANNOTATION)
                    .append("\":\"")
                    .append(f.nextCpu())
                    .append("\",");
        }
        if (f.nextMemory() != null) {
            ann.append('"')
                    .append(OversaleRatio.MEMORY_ANNOTATION)
                    .append("\":\"")
                    .append(f.nextMemory())
                    .append("\",");
        }
        ann.append('"')
                .append(OversalePlan.CHANGED_AT)
                .append("\":\"")
                .append(clock.instant())
                .append("\"}}}");
        try {
            Patches.object(
                    client,
                    Patches.stub(new io.fabric8.kubernetes.api.model.Node(), null, f.node()),
                    PatchType.JSON_MERGE,
                    ann.toString());
            LOG.info("node {}: {}", f.node(), why);
            event(f.node(), "OversaleRatioChanged", why, "Normal");
        } catch (KubernetesClientException e) {
            errors.increment();
            LOG.warn("node {}: cannot write its ratios: {}", f.node(), e.getMessage());
        }
    }

    private void event(String node, String reason, String message, String type) {
        Instant now = clock.instant();
        try {
            client.v1()
                    .events()
                    .inNamespace("default")
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(node + "." + UUID.randomUUID().toString().substring(0, 8))
                            .withNamespace("default")
                            .endMetadata()
                            .withInvolvedObject(new ObjectReferenceBuilder()
                                    .withKind("Node")
                                    .withName(node)
                                    .withUid(node)
                                    .build())
                            .withReason(reason)
                            .withMessage(message)
                            .withType(type)
                            .withFirstTimestamp(now.toString())
                            .withLastTimestamp(now.toString())
                            .withCount(1)
                            .withNewSource()
                            .withComponent("qshard-oversale")
                            .endSource()
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot record event on node {}: {}", node, e.getMessage());
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
