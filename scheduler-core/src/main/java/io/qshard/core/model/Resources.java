package io.qshard.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * An amount of node resources: native cpu (milli-cores), native memory (bytes), pod slots, and the batch
 * extended resources ({@link ResourceNames#BATCH_CPU} milli-cores, {@link ResourceNames#BATCH_MEMORY}
 * bytes), and every other resource as a sparse {@link ScalarResources} map (ephemeral-storage, hugepages-*,
 * extended resources such as {@code nvidia.com/gpu}). Plain {@code long}s; a negative component means "over".
 * {@link #plus} and {@link #minus} saturate ({@link Saturating}): a result beyond the range of a long is {@link
 * Long#MAX_VALUE} (or {@link Long#MIN_VALUE}) instead of wrapping around, so a sum of huge requests (the apiserver
 * serves {@code 10Ei} as 2<sup>63</sup>−1) stays at least as large as each of them and never fits where they do not.
 * The cpu/memory path pays one emptiness check for the map. Immutable.
 *
 * @param milliCpu        native cpu, milli-cores
 * @param memoryBytes     native memory, bytes
 * @param pods            pod count
 * @param batchMilliCpu   {@code qshard.io/batch-cpu}, milli-cores
 * @param batchMemoryBytes {@code qshard.io/batch-memory}, bytes
 * @param scalars         every other resource, by API name ({@link ScalarResources#EMPTY} for none; null reads as it)
 */
public record Resources(
        long milliCpu,
        long memoryBytes,
        long pods,
        long batchMilliCpu,
        long batchMemoryBytes,
        ScalarResources scalars) {

    /** Nothing. */
    public static final Resources ZERO = new Resources(0, 0, 0, 0, 0);

    public Resources {
        scalars = scalars == null ? ScalarResources.EMPTY : scalars;
    }

    /** Without scalar resources. */
    public Resources(long milliCpu, long memoryBytes, long pods, long batchMilliCpu, long batchMemoryBytes) {
        this(milliCpu, memoryBytes, pods, batchMilliCpu, batchMemoryBytes, ScalarResources.EMPTY);
    }

    /**
     * Component-wise. Written out because a record's generated {@code equals} is a method-handle chain that C1 —
     * the shipped JIT — runs several times slower, and {@link io.qshard.core.algorithm.DecisionReuse} compares
     * requests on every decision.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Resources r
                && milliCpu == r.milliCpu
                && memoryBytes == r.memoryBytes
                && pods == r.pods
                && batchMilliCpu == r.batchMilliCpu
                && batchMemoryBytes == r.batchMemoryBytes
                && (scalars == r.scalars || scalars.equals(r.scalars));
    }

    @Override
    public int hashCode() {
        long h = milliCpu;
        h = 31 * h + memoryBytes;
        h = 31 * h + pods;
        h = 31 * h + batchMilliCpu;
        h = 31 * h + batchMemoryBytes;
        return 31 * Long.hashCode(h) + (scalars.isEmpty() ? 0 : scalars.hashCode());
    }

    /** Native cpu and memory only, no pod slot. */
    public static Resources of(long milliCpu, long memoryBytes) {
        return new Resources(milliCpu, memoryBytes, 0, 0, 0);
    }

    /** Batch extended resources only, no pod slot. */
    public static Resources batch(long batchMilliCpu, long batchMemoryBytes) {
        return new Resources(0, 0, 0, batchMilliCpu, batchMemoryBytes);
    }

    /** Component-wise sum, saturated at {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE}. */
    public Resources plus(Resources o) {
        return new Resources(
                Saturating.add(milliCpu, o.milliCpu),
                Saturating.add(memoryBytes, o.memoryBytes),
                Saturating.add(pods, o.pods),
                Saturating.add(batchMilliCpu, o.batchMilliCpu),
                Saturating.add(batchMemoryBytes, o.batchMemoryBytes),
                scalars.plus(o.scalars));
    }

    /** Component-wise difference, saturated at {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE}. */
    public Resources minus(Resources o) {
        return new Resources(
                Saturating.subtract(milliCpu, o.milliCpu),
                Saturating.subtract(memoryBytes, o.memoryBytes),
                Saturating.subtract(pods, o.pods),
                Saturating.subtract(batchMilliCpu, o.batchMilliCpu),
                Saturating.subtract(batchMemoryBytes, o.batchMemoryBytes),
                scalars.minus(o.scalars));
    }

    public Resources withPods(long n) {
        return new Resources(milliCpu, memoryBytes, n, batchMilliCpu, batchMemoryBytes, scalars);
    }

    /** These resources with the scalar map replaced. */
    public Resources withScalars(ScalarResources s) {
        return new Resources(milliCpu, memoryBytes, pods, batchMilliCpu, batchMemoryBytes, s);
    }

    /** Component-wise max. */
    public Resources max(Resources o) {
        return new Resources(
                Math.max(milliCpu, o.milliCpu),
                Math.max(memoryBytes, o.memoryBytes),
                Math.max(pods, o.pods),
                Math.max(batchMilliCpu, o.batchMilliCpu),
                Math.max(batchMemoryBytes, o.batchMemoryBytes),
                scalars.max(o.scalars));
    }

    /**
     * True when every component of this is ≤ the same component of {@code capacity}; a scalar resource absent from
     * either side counts as 0.
     */
    public boolean fitsIn(Resources capacity) {
        return milliCpu <= capacity.milliCpu
                && memoryBytes <= capacity.memoryBytes
                && pods <= capacity.pods
                && batchMilliCpu <= capacity.batchMilliCpu
                && batchMemoryBytes <= capacity.batchMemoryBytes
                && scalarsFitIn(capacity.scalars);
    }

    private boolean scalarsFitIn(ScalarResources capacity) {
        if (scalars.isEmpty() && capacity.isEmpty()) {
            return true;
        }
        for (int i = 0; i < scalars.size(); i++) {
            if (scalars.amount(i) > capacity.get(scalars.name(i))) {
                return false;
            }
        }
        for (int i = 0; i < capacity.size(); i++) {
            if (capacity.amount(i) < 0 && !scalars.has(capacity.name(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when no component is negative. */
    public boolean isNonNegative() {
        if (milliCpu < 0 || memoryBytes < 0 || pods < 0 || batchMilliCpu < 0 || batchMemoryBytes < 0) {
            return false;
        }
        for (int i = 0; i < scalars.size(); i++) {
            if (scalars.amount(i) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The resource names (as in {@link ResourceNames}) for which this request exceeds {@code free}, in a
     * stable order; only components this request asks for (> 0) are considered.
     */
    public List<String> insufficient(Resources free) {
        List<String> out = new ArrayList<>(2);
        if (milliCpu > 0 && milliCpu > free.milliCpu) {
            out.add(ResourceNames.CPU);
        }
        if (memoryBytes > 0 && memoryBytes > free.memoryBytes) {
            out.add(ResourceNames.MEMORY);
        }
        if (pods > 0 && pods > free.pods) {
            out.add(ResourceNames.PODS);
        }
        if (batchMilliCpu > 0 && batchMilliCpu > free.batchMilliCpu) {
            out.add(ResourceNames.BATCH_CPU);
        }
        if (batchMemoryBytes > 0 && batchMemoryBytes > free.batchMemoryBytes) {
            out.add(ResourceNames.BATCH_MEMORY);
        }
        for (int i = 0; i < scalars.size(); i++) {
            long want = scalars.amount(i);
            if (want > 0 && want > free.scalars.get(scalars.name(i))) {
                out.add(scalars.name(i));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "cpu=" + milliCpu + "m mem=" + (memoryBytes >> 20) + "Mi pods=" + pods
                + (batchMilliCpu != 0 || batchMemoryBytes != 0
                        ? " batch-cpu=" + batchMilliCpu + "m batch-mem=" + (batchMemoryBytes >> 20) + "Mi"
                        : "")
                + (scalars.isEmpty() ? "" : " " + scalars);
    }
}
