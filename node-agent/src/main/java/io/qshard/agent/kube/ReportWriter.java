package io.qshard.agent.kube;

import io.qshard.core.model.Resources;
import io.qshard.core.usage.UsageReport;
import java.util.Collection;
import java.util.function.Function;

/** Where the agent's reports and batch advertisements go ({@link AgentWrites} on a cluster). */
public interface ReportWriter {
    /**
     * @param report the usage, with the batch ceiling to publish
     * @param tiers  every tier name the report must carry
     * @param pods   uid → pod, for names and tiers in the per-pod list
     * @return whether it was written
     */
    boolean report(UsageReport report, Collection<String> tiers, Function<String, LocalPod> pods);

    /** @return whether the node's batch resources were written */
    boolean advertise(Resources batch);
}
