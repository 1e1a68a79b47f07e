package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Saturating;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Filter, the tier-aware NodeResourcesFit: the pod's requests must fit in the room its tier's pool leaves on the node,
 * which is never more than a kubelet would admit ({@link NodeRoom}), and every other resource it requests
 * (ephemeral-storage, hugepages-*, extended resources such as {@code nvidia.com/gpu}) must fit in the node's
 * allocatable as kube-scheduler 1.20's {@code fitsRequest} checks it: {@code allocatable < request + Σ requests on the
 * node} fails. Those are native kubelet resources with no pool: the same check in every tier (a batch pod asking for a
 * GPU needs a node with a free GPU). The tier's {@link FitArgs} skip extended resources by name or group.
 *
 * <p>Reasons, in kube-scheduler's order: {@code "Too many pods"}, {@code "Insufficient cpu"}, {@code "Insufficient
 * memory"}, the batch pair, {@code "Insufficient ephemeral-storage"}, then the other resources sorted by name (kube
 * walks a Go map there, in random order). Pool-limited ones name the pool: {@code "Insufficient qshard.io/batch-cpu
 * (batch pool)"}. The statuses of the fixed components are precomputed: a pod and node without scalar resources cost
 * one emptiness check each and allocate nothing; a scalar failure builds its status (rare).
 *
 * <p>kube-scheduler 1.20 (and the kubelet's admission, which runs the same {@code fitsRequest}) checks only the pod
 * slot for a pod that requests nothing (cpu, memory, ephemeral-storage and every other resource absent or 0), and
 * otherwise checks cpu, memory and ephemeral-storage even where the pod requests 0 of them: a node whose pods already
 * request more than its allocatable fails. qshard does the same in every tier: a resource the pod requests (&gt; 0)
 * is checked against the tier's room, one it does not against the node's allocatable ({@code "Insufficient cpu"}, no
 * pool named). For prod without oversale the room is allocatable − Σ requests, so prod is kube's rule exactly (with
 * oversale prod counts against real allocatable, on purpose). Deliberate differences:
 * <ul>
 *   <li>the pod slot is checked only when the pod counts one ({@code pods} &gt; 0, as every converted pod does); kube
 *       checks it always;</li>
 *   <li>the batch pair is checked only when requested (kube would check a listed 0 against an over-full node);</li>
 *   <li>qshard's batch pair is never ignored (the pool accounting; {@link FitArgs} rejects naming it).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class TierResourceFit implements FilterPlugin {
    public static final String NAME = "TierResourceFit";
    /** Bits of a verdict: the components ({@link NodeState#CPU}…), then cpu and memory over the node's allocatable. */
    private static final int CPU_NODE = 5;

    private static final int MEMORY_NODE = 6;
    private static final String[] RESOURCES = {
        ResourceNames.CPU,
        ResourceNames.MEMORY,
        ResourceNames.PODS,
        ResourceNames.BATCH_CPU,
        ResourceNames.BATCH_MEMORY,
        ResourceNames.CPU,
        ResourceNames.MEMORY
    };
    /** kube-scheduler's reason order of the fixed components: pods first. */
    private static final int[] REASON_ORDER = {
        NodeState.PODS,
        NodeState.CPU,
        CPU_NODE,
        NodeState.MEMORY,
        MEMORY_NODE,
        NodeState.BATCH_CPU,
        NodeState.BATCH_MEMORY
    };

    private static final String EPHEMERAL = ResourceNames.EPHEMERAL_STORAGE;

    private final NodeRoom room;
    private final Set<String> ignoredResources;
    private final Set<String> ignoredGroups;
    /** [class][bitmask of insufficient components] → status. */
    private final Status[][] statuses = new Status[PoolRule.values().length][1 << RESOURCES.length];

    /** With kube-scheduler's default arguments (nothing ignored). */
    public TierResourceFit(NodeRoom room) {
        this(room, FitArgs.DEFAULTS);
    }

    public TierResourceFit(NodeRoom room, FitArgs args) {
        this.room = room;
        this.ignoredResources = Set.copyOf(new HashSet<>(args.ignoredResources()));
        this.ignoredGroups = Set.copyOf(new HashSet<>(args.ignoredResourceGroups()));
        for (PoolRule rule : PoolRule.values()) {
            for (int mask = 1; mask < (1 << RESOURCES.length); mask++) {
                statuses[rule.ordinal()][mask] = new Status(Status.Code.UNSCHEDULABLE, reasons(rule, mask), NAME);
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
        int mask = over(want.pods(), rule, node, NodeState.PODS)
                | over(want.batchMilliCpu(), rule, node, NodeState.BATCH_CPU)
                | over(want.batchMemoryBytes(), rule, node, NodeState.BATCH_MEMORY);
        if (requestsAnything(want)) {
            mask |= nativeFit(want.milliCpu(), rule, node, NodeState.CPU)
                    | nativeFit(want.memoryBytes(), rule, node, NodeState.MEMORY);
        }
        if (want.scalars().isEmpty() && !node.hasRequestedScalars()) { // the cpu/memory path
            return mask == 0 ? Status.SUCCESS : statuses[rule.ordinal()][mask];
        }
        return withScalars(want, rule, node, mask);
    }

    /** Bit c set when the pod asks for component c and it does not fit (room computed only then). */
    private int over(long want, PoolRule rule, NodeState node, int c) {
        return want > 0 && want > room.room(rule, node, c) ? 1 << c : 0;
    }

    /**
     * cpu or memory ({@code c}): a request (&gt; 0) against the tier's room (bit c); none against the node's
     * allocatable, as kube's {@code 0 + requested > allocatable} (bit {@link #CPU_NODE} + c).
     */
    private int nativeFit(long want, PoolRule rule, NodeState node, int c) {
        if (want > 0) {
            return want > room.room(rule, node, c) ? 1 << c : 0;
        }
        return node.requested(c) > node.allocatable(c) ? 1 << (CPU_NODE + c) : 0;
    }

    /**
     * The fixed components' verdict {@code mask} plus ephemeral-storage and every scalar resource the pod requests, as
     * kube's {@code fitsRequest}: {@code allocatable < want + requested} fails, the sum saturating at {@link
     * Long#MAX_VALUE} (kube's int64 sum would wrap and let the pod fit).
     */
    private Status withScalars(Resources want, PoolRule rule, NodeState node, int mask) {
        ScalarResources asked = want.scalars();
        ScalarResources allocatable = node.allocatableScalars();
        ScalarResources requested = node.requestedScalars();
        List<String> failed = null;
        if (requestsAnything(want)
                && allocatable.get(EPHEMERAL) < Saturating.add(asked.get(EPHEMERAL), requested.get(EPHEMERAL))) {
            failed = new ArrayList<>(2);
            failed.add(EPHEMERAL);
        }
        for (int i = 0; i < asked.size(); i++) {
            String name = asked.name(i);
            if (name.equals(EPHEMERAL) || ignored(name)) {
                continue;
            }
            if (allocatable.get(name) < Saturating.add(asked.amount(i), requested.get(name))) {
                failed = failed == null ? new ArrayList<>(2) : failed;
                failed.add(name);
            }
        }
        if (failed == null) {
            return mask == 0 ? Status.SUCCESS : statuses[rule.ordinal()][mask];
        }
        List<String> reasons = new ArrayList<>(mask == 0 ? List.of() : statuses[rule.ordinal()][mask].reasons());
        for (String name : failed) {
            reasons.add("Insufficient " + name);
        }
        return new Status(Status.Code.UNSCHEDULABLE, reasons, NAME);
    }

    /** kube: only extended resources can be ignored, by name or by the group before their '/'. */
    private boolean ignored(String name) {
        if ((ignoredResources.isEmpty() && ignoredGroups.isEmpty()) || !ResourceNames.isExtended(name)) {
            return false;
        }
        int slash = name.indexOf('/');
        return ignoredResources.contains(name) || (slash >= 0 && ignoredGroups.contains(name.substring(0, slash)));
    }

    /**
     * kube's "the pod requests something": cpu, memory, ephemeral-storage or any scalar resource (listed, even at 0 —
     * kube keeps a listed scalar in its map; ephemeral-storage is a plain field there, so a listed 0 is nothing).
     */
    private static boolean requestsAnything(Resources want) {
        if (want.milliCpu() != 0
                || want.memoryBytes() != 0
                || want.batchMilliCpu() != 0
                || want.batchMemoryBytes() != 0) {
            return true;
        }
        ScalarResources s = want.scalars();
        for (int i = 0; i < s.size(); i++) {
            if (!s.name(i).equals(EPHEMERAL) || s.amount(i) != 0) {
                return true;
            }
        }
        return false;
    }

    private static List<String> reasons(PoolRule rule, int mask) {
        List<String> reasons = new ArrayList<>();
        for (int c : REASON_ORDER) {
            if ((mask & (1 << c)) != 0) {
                reasons.add(reason(rule, c));
            }
        }
        return reasons;
    }

    private static String reason(PoolRule rule, int c) {
        if (c == NodeState.PODS) {
            return "Too many pods";
        }
        String base = "Insufficient " + RESOURCES[c];
        if (c >= CPU_NODE) {
            return base; // the node's allocatable, no pool
        }
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
