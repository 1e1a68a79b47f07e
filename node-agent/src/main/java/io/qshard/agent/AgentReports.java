package io.qshard.agent;

import io.qshard.agent.kube.LocalPod;
import io.qshard.agent.kube.ReportWriter;
import io.qshard.agent.metrics.AgentMetrics;
import io.qshard.agent.sample.NodeSample;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.core.pool.BatchAdvertiser;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.ClassUsage;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * When and what the agent reports: a {@code NodeUsage} every report interval, or at once when node cpu moved by more
 * than the fast-path fraction of allocatable since the last one (but not more often than every two samples); usage
 * per tier from the pods' cgroups (pods the API does not know, and everything outside kubepods, count as
 * {@value UsageView#OTHER}); the batch pool computed with the schedulers' own formula ({@link NodeRoom}) and
 * advertised through the {@link BatchAdvertiser}'s ceiling protocol. Not thread-safe: the agent's tick thread.
 */
final class AgentReports {
    private final AgentSettings settings;
    private final ReportWriter writes;
    private final AgentMetrics metrics;
    private final BatchAdvertiser advertiser;
    private final NodeRoom room;
    private final List<String> tierNames = new ArrayList<>();
    private Instant lastReport;
    private long lastReportedCpu;
    private Resources lastAdvertised;

    AgentReports(AgentSettings settings, ReportWriter writes, AgentMetrics metrics, BatchAdvertiser advertiser) {
        this.settings = settings;
        this.writes = writes;
        this.metrics = metrics;
        this.advertiser = advertiser;
        this.room = new NodeRoom(settings.config().pools());
        settings.config().tiers().forEach(t -> tierNames.add(t.name()));
        tierNames.add(UsageView.OTHER);
    }

    void maybeReport(NodeSample sample, Node node, List<LocalPod> pods, Function<String, LocalPod> byUid, Instant now) {
        boolean due = lastReport == null || Duration.between(lastReport, now).compareTo(settings.reportInterval()) >= 0;
        boolean moved = Math.abs(sample.node().milliCpu() - lastReportedCpu)
                > settings.fastPathChange() * node.realAllocatable().milliCpu();
        boolean notTooSoon = lastReport == null
                || Duration.between(lastReport, now)
                                .compareTo(settings.sampleInterval().multipliedBy(2))
                        >= 0;
        if (!due && !(moved && notTooSoon)) {
            return;
        }
        if (!due) {
            metrics.fastReports.increment();
        }
        Duration window = lastReport == null ? sample.window() : Duration.between(lastReport, now);
        lastReport = now;
        lastReportedCpu = sample.node().milliCpu();
        report(sample, node, pods, byUid, now, window);
    }

    private void report(
            NodeSample sample,
            Node node,
            List<LocalPod> pods,
            Function<String, LocalPod> byUid,
            Instant now,
            Duration window) {
        QshardConfig config = settings.config();
        Map<String, Usage> tiers = new HashMap<>();
        Usage inPods = Usage.ZERO;
        for (Map.Entry<String, Usage> e : sample.pods().entrySet()) {
            LocalPod p = byUid.apply(e.getKey());
            tiers.merge(p == null || p.tier() == null ? UsageView.OTHER : p.tier(), e.getValue(), Usage::plus);
            inPods = inPods.plus(e.getValue());
        }
        tiers.merge(UsageView.OTHER, sample.node().minusFloored(inPods), Usage::plus); // system daemons, kubelet …
        NodeState state = NodeState.of(node);
        for (LocalPod p : pods) {
            state = state.reserve(request(p, node.name(), config));
        }
        UsageReport raw = new UsageReport(node.name(), now, window, sample.node(), tiers, sample.pods());
        ClassUsage usage = ClassUsage.of(
                UsageView.of(state.pods(), raw, now, config.pools().estimates()),
                config::classOfTier,
                config.pools().estimateFactor());
        Resources bound = state.requestedBy(PoolRule.BATCH_POOL).plus(state.requestedBy(PoolRule.FREE_POOL));
        Resources advertised = lastAdvertised != null ? lastAdvertised : node.allocatable();
        BatchAdvertiser.Decision d =
                advertiser.tick(node.name(), room.batchPool(state.withUsage(usage)), bound, advertised, now);
        UsageReport report = new UsageReport(
                node.name(),
                now,
                window,
                sample.node(),
                tiers,
                sample.pods(),
                new Usage(d.ceiling().batchMilliCpu(), d.ceiling().batchMemoryBytes()));
        if (writes.report(report, tierNames, byUid)) {
            metrics.reports.increment();
        } else {
            metrics.apiErrors.increment();
            advertiser.failed(node.name());
        }
        if (d.advertise() != null && !settings.dryRun()) {
            if (writes.advertise(d.advertise())) {
                metrics.advertisements.increment();
                lastAdvertised = d.advertise();
            } else {
                metrics.apiErrors.increment();
                advertiser.failed(node.name());
                lastAdvertised = null;
            }
        }
    }

    private static PodRequest request(LocalPod p, String node, QshardConfig config) {
        Tier tier = p.tier() == null
                ? null
                : config.tiers().stream()
                        .filter(t -> t.name().equals(p.tier()))
                        .findFirst()
                        .orElse(null);
        return new PodRequest(
                p.uid(),
                p.namespace(),
                p.name(),
                p.tier(),
                tier == null ? PoolRule.ALLOCATABLE : tier.poolRule(),
                p.requests(),
                Map.of(),
                null,
                List.of(),
                p.priority(),
                Instant.EPOCH,
                null,
                node);
    }
}
