package io.qshard.agent.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.PodUsage;
import io.qshard.kube.api.UsageAmount;
import io.qshard.kube.write.Patches;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's API writes: its node's {@code NodeUsage} status (created on first use) and the batch extended
 * resources on its node's status. A failed write returns false (the caller counts it and retries next tick).
 * Thread-safe.
 */
public final class AgentWrites implements ReportWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AgentWrites.class);

    private final KubernetesClient client;
    private final String node;
    private final String reporter;
    private volatile boolean created;

    public AgentWrites(KubernetesClient client, String node, String reporter) {
        this.client = client;
        this.node = node;
        this.reporter = reporter;
    }

    /**
     * Writes a report.
     *
     * @param report the usage, with the batch ceiling to publish
     * @param tiers  every tier name the report must carry (zero when absent: a merge patch keeps keys it omits)
     * @param pods   uid → the pod, for names and tiers in the per-pod list (unknown uids are listed by uid)
     */
    @Override
    public boolean report(UsageReport report, Collection<String> tiers, Function<String, LocalPod> pods) {
        NodeUsageStatus s = new NodeUsageStatus();
        s.setTimestamp(report.timestamp().toString());
        s.setWindowSeconds((int) Math.max(1, Math.min(3600, report.window().toSeconds())));
        s.setReporter(reporter);
        s.setNode(amount(report.nodeUsage()));
        Map<String, UsageAmount> byTier = new LinkedHashMap<>();
        tiers.forEach(t -> byTier.put(t, new UsageAmount(0, 0)));
        report.tiers().forEach((t, u) -> byTier.put(t, amount(u)));
        s.setTiers(byTier);
        List<PodUsage> list = new ArrayList<>();
        report.pods().forEach((uid, u) -> {
            LocalPod p = pods.apply(uid);
            list.add(new PodUsage(
                    uid,
                    p == null ? null : p.namespace(),
                    p == null ? null : p.name(),
                    p == null ? null : p.tier(),
                    u.milliCpu(),
                    u.memoryBytes()));
        });
        s.setPods(list);
        if (report.batchCeiling() != null) {
            s.setBatchCeiling(amount(report.batchCeiling()));
        }
        try {
            if (!created) {
                NodeUsage nu = new NodeUsage();
                nu.setMetadata(new ObjectMetaBuilder().withName(node).build());
                try {
                    client.resources(NodeUsage.class).resource(nu).create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
                created = true;
            }
            String body = "{\"status\":" + client.getKubernetesSerialization().asJson(s) + "}";
            Patches.status(client, Patches.stub(new NodeUsage(), null, node), PatchType.JSON_MERGE, body);
            return true;
        } catch (KubernetesClientException e) {
            created = false;
            LOG.warn("cannot write NodeUsage {}: {}", node, e.getMessage());
            return false;
        }
    }

    /** Advertises the batch pool as the node's {@code qshard.io/batch-cpu} / {@code qshard.io/batch-memory}. */
    @Override
    public boolean advertise(Resources batch) {
        String amounts = "{\"" + ResourceNames.BATCH_CPU + "\":\"" + batch.batchMilliCpu() + "\",\""
                + ResourceNames.BATCH_MEMORY + "\":\"" + batch.batchMemoryBytes() + "\"}";
        try {
            Patches.status(
                    client,
                    Patches.stub(new io.fabric8.kubernetes.api.model.Node(), null, node),
                    PatchType.JSON_MERGE,
                    "{\"status\":{\"capacity\":" + amounts + ",\"allocatable\":" + amounts + "}}");
            return true;
        } catch (KubernetesClientException e) {
            LOG.warn("cannot advertise the batch pool of {}: {}", node, e.getMessage());
            return false;
        }
    }

    private static UsageAmount amount(Usage u) {
        return new UsageAmount(u.milliCpu(), u.memoryBytes());
    }
}
