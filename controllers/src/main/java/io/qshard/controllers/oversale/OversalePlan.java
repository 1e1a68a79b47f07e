package io.qshard.controllers.oversale;

import io.qshard.controllers.view.ClusterView;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Saturating;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.Usage;
import io.qshard.kube.api.OversaleRatio;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One cycle's decisions for the opted-in nodes, computed on the cluster view's thread: per node the facts
 * ({@link Facts}) and, where a ratio should change, the new values. Pure given the view. Immutable results.
 */
public final class OversalePlan {
    /** Annotation with the time the controller last changed a node's ratios (RFC 3339). */
    public static final String CHANGED_AT = "qshard.io/oversale-changed-at";

    private OversalePlan() {}

    /**
     * What the controller knows of one node, and what it decided.
     *
     * @param node          name
     * @param realCpu       real allocatable cpu, milli-cores
     * @param realMemory    real allocatable memory, bytes
     * @param requested     Σ native requests of the pods bound to it, saturated at {@link Long#MAX_VALUE}
     * @param peak          predicted peak usage, or null without a fresh report
     * @param cpuRatio      the cpu ratio annotation, or null
     * @param memoryRatio   the memory ratio annotation, or null
     * @param nextCpu       the new cpu ratio, or null to leave it
     * @param nextMemory    the new memory ratio, or null to leave it
     */
    public record Facts(
            String node,
            long realCpu,
            long realMemory,
            Usage requested,
            Usage peak,
            String cpuRatio,
            String memoryRatio,
            Double nextCpu,
            Double nextMemory) {
        public boolean changes() {
            return nextCpu != null || nextMemory != null;
        }
    }

    /** Computes the plan; run it on the view's thread ({@link ClusterView#read}). */
    public static List<Facts> compute(ClusterView.State view, RatioPolicy cpu, RatioPolicy memory) {
        List<Facts> out = new ArrayList<>();
        Instant now = view.clock().instant();
        var snapshot = view.cluster().snapshot();
        for (int i = 0; i < snapshot.size(); i++) {
            NodeState ns = snapshot.node(i);
            Node n = ns.node();
            if (!"true".equals(n.labels().get(OversaleRatio.OPT_IN_LABEL))) {
                continue;
            }
            long realCpu = n.realAllocatable().milliCpu();
            long realMemory = n.realAllocatable().memoryBytes();
            if (realCpu <= 0 || realMemory <= 0) {
                continue;
            }
            long reqCpu = 0;
            long reqMemory = 0;
            for (PodRequest p : ns.pods()) { // saturating: pods asking 1e18 cores must not wrap the sum below zero
                reqCpu = Saturating.add(reqCpu, p.requests().milliCpu());
                reqMemory = Saturating.add(reqMemory, p.requests().memoryBytes());
            }
            Usage peak = view.usage().nodePeak(n.name(), ns);
            String cr = n.annotations().get(OversaleRatio.CPU_ANNOTATION);
            String mr = n.annotations().get(OversaleRatio.MEMORY_ANNOTATION);
            Instant last = changedAt(n.annotations().get(CHANGED_AT));
            Double nextCpu = cpu.next(realCpu, reqCpu, peak == null ? -1 : peak.milliCpu(), cr, last, now);
            Double nextMemory =
                    memory.next(realMemory, reqMemory, peak == null ? -1 : peak.memoryBytes(), mr, last, now);
            out.add(new Facts(
                    n.name(), realCpu, realMemory, new Usage(reqCpu, reqMemory), peak, cr, mr, nextCpu, nextMemory));
        }
        return out;
    }

    private static Instant changedAt(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
