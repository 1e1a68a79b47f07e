package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.List;

/**
 * Filter: the pod's requests must fit in the room its tier's pool leaves on the node, which is never more
 * than a kubelet would admit ({@link NodeRoom}). Reasons name the resource and, for borrowing tiers, the
 * pool: {@code "Insufficient cpu"}, {@code "Insufficient qshard.io/batch-cpu (batch pool)"},
 * {@code "Too many pods"}. Statuses are precomputed: no allocation per node.
 */
public final class TierResourceFit implements FilterPlugin {
    public static final String NAME = "TierResourceFit";
    private static final String[] RESOURCES = {
        ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS, ResourceNames.BATCH_CPU, ResourceNames.BATCH_MEMORY
    };

    private final NodeRoom room;
    /** [class][bitmask of insufficient resources] → status. */
    private final Status[][] statuses = new Status[PoolRule.values().length][1 << RESOURCES.length];

    public TierResourceFit(NodeRoom room) {
        this.room = room;
        for (PoolRule rule : PoolRule.values()) {
            for (int mask = 1; mask < (1 << RESOURCES.length); mask++) {
                List<String> reasons = new ArrayList<>();
                for (int r = 0; r < RESOURCES.length; r++) {
                    if ((mask & (1 << r)) != 0) {
                        reasons.add(reason(rule, r));
                    }
                }
                statuses[rule.ordinal()][mask] = new Status(Status.Code.UNSCHEDULABLE, reasons, NAME);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        Resources want = pod.requests();
        PoolRule rule = pod.poolRule();
        int mask = over(want.milliCpu(), rule, node, NodeState.CPU)
                | over(want.memoryBytes(), rule, node, NodeState.MEMORY)
                | over(want.pods(), rule, node, NodeState.PODS)
                | over(want.batchMilliCpu(), rule, node, NodeState.BATCH_CPU)
                | over(want.batchMemoryBytes(), rule, node, NodeState.BATCH_MEMORY);
        return mask == 0 ? Status.SUCCESS : statuses[rule.ordinal()][mask];
    }

    /** Bit c set when the pod asks for component c and it does not fit (room computed only then). */
    private int over(long want, PoolRule rule, NodeState node, int c) {
        return want > 0 && want > room.room(rule, node, c) ? 1 << c : 0;
    }

    private static String reason(PoolRule rule, int r) {
        if (r == 2) {
            return "Too many pods";
        }
        String base = "Insufficient " + RESOURCES[r];
        return switch (rule) {
            case ALLOCATABLE -> base;
            case MID_POOL -> base + " (mid pool)";
            case BATCH_POOL -> base + " (batch pool)";
            case FREE_POOL -> base + " (free pool)";
        };
    }

    /** Reads only the pod and the node's {@code NodeState}. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
