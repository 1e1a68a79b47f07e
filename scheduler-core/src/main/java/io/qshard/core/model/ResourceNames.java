package io.qshard.core.model;

/**
 * Kubernetes resource names qshard reads and writes. Batch and free pods are BestEffort in native terms
 * and size themselves with the two extended resources, which every node advertises from its batch pool,
 * so that a kubelet's admission (Σ requests ≤ allocatable) matches what the batch schedulers place.
 */
public final class ResourceNames {
    /** Native cpu, in cores in the API, milli-cores in {@link Resources}. */
    public static final String CPU = "cpu";
    /** Native memory, bytes. */
    public static final String MEMORY = "memory";
    /** Pod count. */
    public static final String PODS = "pods";
    /** Extended resource for batch/free cpu, integer milli-cores. */
    public static final String BATCH_CPU = "qshard.io/batch-cpu";
    /** Extended resource for batch/free memory, integer bytes. */
    public static final String BATCH_MEMORY = "qshard.io/batch-memory";

    private ResourceNames() {}
}
