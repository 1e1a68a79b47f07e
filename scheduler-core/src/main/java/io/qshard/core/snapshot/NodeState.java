package io.qshard.core.snapshot;

import io.qshard.core.model.HostPort;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Saturating;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.model.Taint;
import io.qshard.core.usage.ClassUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One node with the pods bound or assumed on it and their summed requests, in total and per accounting
 * class ({@link PoolRule}; pods of other schedulers count as {@link PoolRule#ALLOCATABLE}). Immutable:
 * {@link #reserve} and {@link #unreserve} return new states and are idempotent per pod uid, so accounted
 * requests are always exactly the sum over the pods present — never negative, never double-counted. Every figure is in
 * [0, {@link Long#MAX_VALUE}]: a negative allocatable or request (which the API and the conversion refuse) counts as 0
 * — as the kubelet clamps a negative allocatable — so the difference of two figures never overflows; sums saturate at
 * {@link Long#MAX_VALUE} ({@link Saturating}) instead of wrapping around (two pods asking {@code cpu: 1e18}, decoded as
 * 2<sup>63</sup>−1 milli-cores, make the node full, not empty), and removing a pod from a sum that reached the limit
 * recounts the pods left, so the sums stay exact below it.
 *
 * <p>The numbers filters and scorers read on every node live in one flat {@code long[]} (allocatable,
 * real allocatable, requests per class and in total), so a node evaluation touches one array instead of a
 * chain of records. Components are indexed by {@link #CPU}, {@link #MEMORY}, {@link #PODS},
 * {@link #BATCH_CPU}, {@link #BATCH_MEMORY}; the sparse rest (ephemeral-storage, hugepages, extended resources) is one
 * {@link ScalarResources} sum, shared with the previous state when a pod has none, and the node's host ports one array.
 * Thread-safe because immutable.
 */
public final class NodeState {
    public static final int CPU = 0;
    public static final int MEMORY = 1;
    public static final int PODS = 2;
    public static final int BATCH_CPU = 3;
    public static final int BATCH_MEMORY = 4;

    private static final int N = 5;
    private static final int ALLOC = 0;
    private static final int REAL = N;
    /**
     * A block of requests (in total, and per class) holds the non-zero cpu/memory beside the requests they stand in
     * for, so a scorer reading them touches the cache line a filter already brought in: slots {@code [cpu, memory,
     * non-zero cpu, non-zero memory, pods, batch cpu, batch memory]}.
     */
    private static final int B = N + 2;
    /** Component c → its slot in a request block. */
    private static final int[] SLOT = {0, 1, 4, 5, 6};
    /** Slot of the non-zero cpu (memory: + 1) in a request block. */
    private static final int NZ = 2;

    private static final int TOTAL = 2 * N;
    private static final int BY_CLASS = TOTAL + B;
    private static final int SIZE = BY_CLASS + B * PoolRule.values().length;
    /**
     * Logical slot (the block layout above) → its index in {@code v}. The slots a prod or mid decision reads for every
     * node it looks at (real allocatable and prod's requests for cpu/memory; allocatable, total requests and total
     * non-zero requests for cpu, memory and pods) come first, 14 longs in two cache lines, the rest after them: with
     * thousands of nodes a filter-and-score pass is bound by the cache lines it touches per node.
     */
    private static final int[] AT = new int[SIZE];

    private static final int[] ALLOC_AT = new int[N];
    private static final int[] REAL_AT = new int[N];
    private static final int[] TOTAL_AT = new int[N];
    /** [N × rule + c] → index of the requests of class rule, component c. */
    private static final int[] CLASS_AT = new int[N * PoolRule.values().length];

    private static final HostPort[] NO_PORTS = new HostPort[0];
    private static final PodRequest[] NO_PODS = new PodRequest[0];

    /** [2 × rule + r] → offset in {@code v} of the capacity a tier's scoring measures resource r (0 cpu, 1 memory) in. */
    private static final int[] CAPACITY_AT = new int[2 * PoolRule.values().length];
    /** [2 × rule + r] → offset of the requests that count against that capacity (flat: one lookup per read). */
    private static final int[] USED_AT = new int[2 * PoolRule.values().length];
    /** [2 × rule + r] → offset of the non-zero requests kube-scheduler's scorers count against that capacity. */
    private static final int[] NON_ZERO_USED_AT = new int[2 * PoolRule.values().length];

    static {
        int prod = BY_CLASS + B * PoolRule.ALLOCATABLE.ordinal();
        int[] hot = {
            REAL + CPU,
            REAL + MEMORY,
            prod,
            prod + 1,
            prod + NZ,
            prod + NZ + 1,
            ALLOC + CPU,
            ALLOC + MEMORY,
            ALLOC + PODS,
            TOTAL,
            TOTAL + 1,
            TOTAL + SLOT[PODS],
            TOTAL + NZ,
            TOTAL + NZ + 1
        };
        Arrays.fill(AT, -1);
        int next = 0;
        for (int logical : hot) {
            AT[logical] = next++;
        }
        for (int logical = 0; logical < SIZE; logical++) {
            if (AT[logical] < 0) {
                AT[logical] = next++;
            }
        }
        for (int c = 0; c < N; c++) {
            ALLOC_AT[c] = AT[ALLOC + c];
            REAL_AT[c] = AT[REAL + c];
            TOTAL_AT[c] = AT[TOTAL + SLOT[c]];
            for (PoolRule rule : PoolRule.values()) {
                CLASS_AT[N * rule.ordinal() + c] = AT[BY_CLASS + B * rule.ordinal() + SLOT[c]];
            }
        }
        for (PoolRule rule : PoolRule.values()) {
            for (int r = 0; r < 2; r++) {
                int at = 2 * rule.ordinal() + r;
                switch (rule) {
                    case ALLOCATABLE -> {
                        CAPACITY_AT[at] = AT[REAL + r];
                        USED_AT[at] = AT[BY_CLASS + B * rule.ordinal() + r];
                        NON_ZERO_USED_AT[at] = AT[BY_CLASS + B * rule.ordinal() + NZ + r];
                    }
                    case MID_POOL -> {
                        CAPACITY_AT[at] = AT[ALLOC + r];
                        USED_AT[at] = AT[TOTAL + r];
                        NON_ZERO_USED_AT[at] = AT[TOTAL + NZ + r];
                    }
                    case BATCH_POOL, FREE_POOL -> {
                        CAPACITY_AT[at] = AT[ALLOC + BATCH_CPU + r];
                        USED_AT[at] = AT[TOTAL + SLOT[BATCH_CPU + r]];
                        NON_ZERO_USED_AT[at] = AT[TOTAL + SLOT[BATCH_CPU + r]];
                    }
                }
            }
        }
    }

    private final Node node;
    private final PodRequest[] pods;
    private final long[] v;
    /** Σ the scalar requests (ephemeral-storage, hugepages, extended resources) of every pod on the node. */
    private final ScalarResources scalars;
    /** {@link #scalars} is not empty; copied so the resource filter's common path does not dereference it. */
    private final boolean hasScalars;
    /** The host ports of every pod on the node, in arrival order (usually {@link #NO_PORTS}). */
    private final HostPort[] ports;
    /** [2 × rule + r] → 1 / tierCapacity(rule, r), or 0 for no capacity: scorers multiply instead of divide. */
    private final double[] inverse;
    /** Copied from the node so the common filters do not dereference it. */
    private final boolean unschedulable;

    private final List<Taint> taints;
    private final boolean hasTaints;
    /** Real usage per class from the node's latest fresh report, or null: the conservative view (requests). */
    private final ClassUsage usage;
    /** Hot or predicted hot by the migration rule, as of the node's latest report. */
    private final boolean hot;
    /** The node's hotspot probability within the horizon, [0, 1], as of its latest report. */
    private final double hotspotProbability;
    /**
     * Pending pods nominated to this node ({@code status.nominatedNodeName}: a preemption made room for them here),
     * not counted in its requests; usually {@link #NO_PODS}.
     */
    private final PodRequest[] nominated;
    /** {@link #nominated} is not empty; a field so the filter walk's check reads no other object. */
    private final boolean hasNominated;

    private NodeState(
            Node node,
            PodRequest[] pods,
            long[] v,
            ScalarResources scalars,
            HostPort[] ports,
            double[] inverse,
            ClassUsage usage,
            boolean hot,
            double hotspotProbability,
            PodRequest[] nominated) {
        this.node = node;
        this.pods = pods;
        this.v = v;
        this.scalars = scalars;
        this.hasScalars = !scalars.isEmpty();
        this.ports = ports;
        this.inverse = inverse;
        this.unschedulable = node.unschedulable();
        this.taints = node.taints();
        this.hasTaints = !taints.isEmpty();
        this.usage = usage;
        this.hot = hot;
        this.hotspotProbability = hotspotProbability;
        this.nominated = nominated;
        this.hasNominated = nominated.length != 0;
    }

    private static double[] inverses(long[] v) {
        double[] inv = new double[2 * PoolRule.values().length];
        for (PoolRule rule : PoolRule.values()) {
            for (int r = 0; r < 2; r++) {
                long cap = v[CAPACITY_AT[2 * rule.ordinal() + r]];
                inv[2 * rule.ordinal() + r] = cap > 0 ? 1.0 / cap : 0;
            }
        }
        return inv;
    }

    /** A node with no pods. */
    public static NodeState of(Node node) {
        long[] v = new long[SIZE];
        writeNode(v, Objects.requireNonNull(node));
        return new NodeState(node, NO_PODS, v, ScalarResources.EMPTY, NO_PORTS, inverses(v), null, false, 0, NO_PODS);
    }

    public Node node() {
        return node;
    }

    public String name() {
        return node.name();
    }

    /** {@code spec.unschedulable} of the node. */
    public boolean unschedulable() {
        return unschedulable;
    }

    /** The node's taints (usually the shared empty list). */
    public List<Taint> taints() {
        return taints;
    }

    /** Whether the node has any taint (a field read: preScore asks it of every feasible node). */
    public boolean hasTaints() {
        return hasTaints;
    }

    /** Reported allocatable of component {@code c} (what a kubelet admits against). */
    public long allocatable(int c) {
        return v[ALLOC_AT[c]];
    }

    /** Allocatable without oversale scaling, component {@code c}. */
    public long realAllocatable(int c) {
        return v[REAL_AT[c]];
    }

    /** Σ requests of every pod on the node, component {@code c}. */
    public long requested(int c) {
        return v[TOTAL_AT[c]];
    }

    /** Σ requests of the pods of class {@code rule}, component {@code c}. */
    public long requestedBy(PoolRule rule, int c) {
        return v[CLASS_AT[N * rule.ordinal() + c]];
    }

    /**
     * The capacity a tier drawing on {@code rule} measures resource {@code r} (0 cpu, 1 memory) in: prod → real
     * allocatable; mid → reported allocatable; batch/free → advertised batch resources.
     */
    public long tierCapacity(PoolRule rule, int r) {
        return v[CAPACITY_AT[2 * rule.ordinal() + r]];
    }

    /** {@code 1.0 / tierCapacity(rule, r)}, or 0 when that capacity is 0 (precomputed). */
    public double tierCapacityInverse(PoolRule rule, int r) {
        return inverse[2 * rule.ordinal() + r];
    }

    /**
     * The requests that count against {@link #tierCapacity}: prod → prod and foreign requests; mid → all
     * native requests; batch/free → all batch requests.
     */
    public long tierUsed(PoolRule rule, int r) {
        return v[USED_AT[2 * rule.ordinal() + r]];
    }

    /**
     * The requests kube-scheduler's resource scorers count against {@link #tierCapacity}: as {@link #tierUsed}, with
     * each native pod's {@link PodRequest#nonZeroRequest} in place of its request.
     */
    public long nonZeroUsed(PoolRule rule, int r) {
        return v[NON_ZERO_USED_AT[2 * rule.ordinal() + r]];
    }

    /** Reported allocatable of the scalar resources (ephemeral-storage, hugepages, extended resources). */
    public ScalarResources allocatableScalars() {
        return node.allocatable().scalars();
    }

    /** Σ the scalar requests of every pod on the node. */
    public ScalarResources requestedScalars() {
        return scalars;
    }

    /** Whether any pod on the node requests a scalar resource: {@code !requestedScalars().isEmpty()}, cheaper. */
    public boolean hasRequestedScalars() {
        return hasScalars;
    }

    /** Whether any pod on the node holds a host port. */
    public boolean hasHostPorts() {
        return ports.length > 0;
    }

    /** Whether {@code port} conflicts with a host port a pod on the node holds. */
    public boolean hostPortTaken(HostPort port) {
        for (HostPort p : ports) {
            if (p.conflictsWith(port)) {
                return true;
            }
        }
        return false;
    }

    /** Sum of the requests of every pod on the node. */
    public Resources requested() {
        return resources(TOTAL).withScalars(scalars);
    }

    /** Sum of the requests of the pods of one accounting class. */
    public Resources requestedBy(PoolRule rule) {
        return resources(BY_CLASS + B * rule.ordinal());
    }

    /** Number of pods on the node. */
    public int podCount() {
        return pods.length;
    }

    /** The pods on the node (unmodifiable view, order of arrival). */
    public List<PodRequest> pods() {
        return Collections.unmodifiableList(Arrays.asList(pods));
    }

    /** Whether pending pods are nominated to this node. */
    public boolean hasNominated() {
        return hasNominated;
    }

    /** The pending pods nominated to this node (unmodifiable; not counted in its requests). */
    public List<PodRequest> nominated() {
        return Collections.unmodifiableList(Arrays.asList(nominated));
    }

    /** This state with {@code pods} as the pods nominated to it (pending pods; their node names are ignored). */
    public NodeState withNominated(List<PodRequest> pods) {
        PodRequest[] n = pods.isEmpty() ? NO_PODS : pods.toArray(PodRequest[]::new);
        return new NodeState(node, this.pods, v, scalars, ports, inverse, usage, hot, hotspotProbability, n);
    }

    /**
     * The state {@code pod}'s filters see first (1.20's {@code addNominatedPods}): the pods nominated here with a
     * priority at least {@code pod}'s — other than {@code pod} itself — reserved as if bound; this very object when
     * there are none, the common case (one array-length check).
     */
    public NodeState withNominatedFor(PodRequest pod) {
        if (!hasNominated) {
            return this;
        }
        NodeState s = this;
        for (PodRequest p : nominated) {
            if (p.priority() >= pod.priority() && !p.uid().equals(pod.uid())) {
                s = s.reserve(p.boundTo(node.name()));
            }
        }
        return s;
    }

    /** Whether a pod with {@code pod}'s uid is on the node with another {@code startMillis} than {@code pod}'s. */
    public boolean startTimeDiffers(PodRequest pod) {
        int i = indexOf(pod.uid());
        return i >= 0 && pods[i].startMillis() != pod.startMillis();
    }

    /** Whether a pod with this uid is on the node. */
    public boolean hasPod(String uid) {
        return indexOf(uid) >= 0;
    }

    /** This state with {@code pod} added; unchanged if a pod with its uid is already here. */
    public NodeState reserve(PodRequest pod) {
        if (indexOf(pod.uid()) >= 0) {
            return this;
        }
        PodRequest[] p = Arrays.copyOf(pods, pods.length + 1);
        p[pods.length] = pod;
        List<HostPort> wanted = pod.details().hostPorts();
        HostPort[] withPorts = ports;
        if (!wanted.isEmpty()) {
            withPorts = Arrays.copyOf(ports, ports.length + wanted.size());
            for (int k = 0; k < wanted.size(); k++) {
                withPorts[ports.length + k] = wanted.get(k);
            }
        }
        return new NodeState(
                node,
                p,
                add(v.clone(), pod, 1),
                scalars.plus(pod.requests().scalars()),
                withPorts,
                inverse,
                usage == null ? null : usage.withPlaced(pod),
                hot,
                hotspotProbability,
                nominated);
    }

    /**
     * This state with {@code pod} in place of the pod of its uid: when its requests and host ports are unchanged (a
     * start time, labels, terminating) the sums and the usage figures stay as they are — an unreserve and reserve
     * would count a pod the last usage report already covers once more as a fresh estimate; otherwise as
     * {@code unreserve(uid).reserve(pod)}.
     */
    public NodeState replace(PodRequest pod) {
        int i = indexOf(pod.uid());
        if (i < 0) {
            return reserve(pod);
        }
        PodRequest old = pods[i];
        if (!old.requests().equals(pod.requests())
                || !old.details().hostPorts().equals(pod.details().hostPorts())
                || old.poolRule() != pod.poolRule()
                || !java.util.Objects.equals(old.tier(), pod.tier())) {
            return unreserve(pod.uid()).reserve(pod);
        }
        PodRequest[] p = pods.clone();
        p[i] = pod;
        return new NodeState(node, p, v, scalars, ports, inverse, usage, hot, hotspotProbability, nominated);
    }

    /** This state without the pod of this uid (subtracting exactly what it added); unchanged if absent. */
    public NodeState unreserve(String uid) {
        int i = indexOf(uid);
        if (i < 0) {
            return this;
        }
        PodRequest gone = pods[i];
        PodRequest[] p = new PodRequest[pods.length - 1];
        System.arraycopy(pods, 0, p, 0, i);
        System.arraycopy(pods, i + 1, p, i, pods.length - i - 1);
        boolean clamped = clamped(v) || scalars.anyAtLimit(); // a sum at a limit: subtracting would not be exact
        return new NodeState(
                node,
                p,
                clamped ? recount(v, p) : add(v.clone(), gone, -1),
                clamped ? scalarsOf(p) : scalars.minus(gone.requests().scalars()),
                gone.details().hasHostPorts() ? portsOf(p) : ports,
                inverse,
                usage == null ? null : usage.withRemoved(gone),
                hot,
                hotspotProbability,
                nominated);
    }

    /** This state with the node object replaced (labels, taints, allocatable changed); pods kept. */
    public NodeState withNode(Node updated) {
        long[] copy = v.clone();
        writeNode(copy, Objects.requireNonNull(updated));
        return new NodeState(
                updated, pods, copy, scalars, ports, inverses(copy), usage, hot, hotspotProbability, nominated);
    }

    /**
     * This state with real usage figures (from a fresh report), or {@code null} to fall back to the conservative
     * view when the report went stale; pods and node unchanged.
     */
    public NodeState withUsage(ClassUsage figures) {
        return new NodeState(node, pods, v, scalars, ports, inverse, figures, hot, hotspotProbability, nominated);
    }

    /**
     * This state with the usage view's verdicts on the node (from its latest report); this very object when they are
     * unchanged, so an unchanged node keeps its identity (decision reuse compares states by identity).
     *
     * @param hot         hot or predicted hot by the migration rule ({@link io.qshard.core.usage.HotNodes})
     * @param probability the hotspot probability within the horizon; NaN or ≤ 0 read as 0, &gt; 1 as 1
     */
    public NodeState withHeat(boolean hot, double probability) {
        double p = probability > 0 ? Math.min(1, probability) : 0;
        if (hot == this.hot && Double.compare(p, hotspotProbability) == 0) {
            return this;
        }
        return new NodeState(node, pods, v, scalars, ports, inverse, usage, hot, p, nominated);
    }

    /** Whether the node is hot or predicted hot by the migration rule: lower tiers keep off it. False when unknown. */
    public boolean hot() {
        return hot;
    }

    /** The probability that the node's cpu crosses the hot threshold within the horizon, [0, 1]; 0 when unknown. */
    public double hotspotProbability() {
        return hotspotProbability;
    }

    /** @return the usage figures of the latest fresh report, or null (conservative view) */
    public ClassUsage usage() {
        return usage;
    }

    /**
     * What the pools count as the usage of class {@code rule}, resource {@code r} (0 cpu, 1 memory): the real usage
     * when a fresh report exists, else the requests — native plus batch extended resources, as batch and free pods
     * ask with the latter (the conservative view, docs/architecture.md).
     */
    public long usageOf(PoolRule rule, int r) {
        return usage == null
                ? Saturating.add(requestedBy(rule, r), requestedBy(rule, BATCH_CPU + r))
                : usage.used(rule, r);
    }

    /**
     * What the pools of lower tiers count as the usage of class {@code rule}: {@link #usageOf} raised to the class's
     * predicted peak where the usage view has one (the conservative view has none: requests).
     */
    public long peakUsageOf(PoolRule rule, int r) {
        return usage == null
                ? Saturating.add(requestedBy(rule, r), requestedBy(rule, BATCH_CPU + r))
                : usage.peak(rule, r);
    }

    /** The pods as a list copy, e.g. to carry them over to a re-created node. */
    List<PodRequest> podList() {
        return new ArrayList<>(Arrays.asList(pods));
    }

    private static long[] add(long[] v, PodRequest pod, int sign) {
        Resources r = pod.requests();
        int byClass = BY_CLASS + B * pod.poolRule().ordinal();
        long[] amounts = {r.milliCpu(), r.memoryBytes(), r.pods(), r.batchMilliCpu(), r.batchMemoryBytes()};
        for (int c = 0; c < N; c++) {
            add(v, AT[TOTAL + SLOT[c]], amounts[c], sign);
            add(v, AT[byClass + SLOT[c]], amounts[c], sign);
        }
        for (int c = 0; c < 2; c++) {
            long nz = pod.nonZeroRequest(c);
            add(v, AT[TOTAL + NZ + c], nz, sign);
            add(v, AT[byClass + NZ + c], nz, sign);
        }
        return v;
    }

    /** v[at] ± amount, a negative amount counting as 0; saturating, though a subtraction only takes back an addition. */
    private static void add(long[] v, int at, long amount, int sign) {
        long a = Math.max(0, amount);
        v[at] = sign > 0 ? Saturating.add(v[at], a) : Saturating.subtract(v[at], a);
    }

    /** Whether some request sum is at a limit of the long range: it may have been clamped. */
    private static boolean clamped(long[] v) {
        for (int logical = TOTAL; logical < SIZE; logical++) {
            if (Saturating.atLimit(v[AT[logical]])) {
                return true;
            }
        }
        return false;
    }

    /** {@code v} with the request sums counted afresh over {@code pods} (the node's own figures kept). */
    private static long[] recount(long[] v, PodRequest[] pods) {
        long[] fresh = v.clone();
        for (int logical = TOTAL; logical < SIZE; logical++) {
            fresh[AT[logical]] = 0;
        }
        for (PodRequest p : pods) {
            add(fresh, p, 1);
        }
        return fresh;
    }

    private static ScalarResources scalarsOf(PodRequest[] pods) {
        ScalarResources sum = ScalarResources.EMPTY;
        for (PodRequest p : pods) {
            sum = sum.plus(p.requests().scalars());
        }
        return sum;
    }

    private static HostPort[] portsOf(PodRequest[] pods) {
        List<HostPort> out = new ArrayList<>();
        for (PodRequest p : pods) {
            out.addAll(p.details().hostPorts());
        }
        return out.isEmpty() ? NO_PORTS : out.toArray(HostPort[]::new);
    }

    private static void writeNode(long[] v, Node n) {
        write(v, ALLOC, n.allocatable());
        write(v, REAL, n.realAllocatable());
    }

    /** The node's figures, a negative one (which conversion refuses) as 0. */
    private static void write(long[] v, int at, Resources r) {
        v[AT[at + CPU]] = Math.max(0, r.milliCpu());
        v[AT[at + MEMORY]] = Math.max(0, r.memoryBytes());
        v[AT[at + PODS]] = Math.max(0, r.pods());
        v[AT[at + BATCH_CPU]] = Math.max(0, r.batchMilliCpu());
        v[AT[at + BATCH_MEMORY]] = Math.max(0, r.batchMemoryBytes());
    }

    /** The requests of the block at {@code at} (the total or a class's). */
    private Resources resources(int at) {
        return new Resources(
                v[AT[at + SLOT[CPU]]],
                v[AT[at + SLOT[MEMORY]]],
                v[AT[at + SLOT[PODS]]],
                v[AT[at + SLOT[BATCH_CPU]]],
                v[AT[at + SLOT[BATCH_MEMORY]]]);
    }

    private int indexOf(String uid) {
        int h = uid.hashCode(); // cached by String: most mismatches cost one int compare
        for (int i = 0; i < pods.length; i++) {
            String other = pods[i].uid();
            if (other.hashCode() == h && other.equals(uid)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "NodeState{" + node.name() + ", pods=" + pods.length + ", requested=" + requested() + "}";
    }
}
