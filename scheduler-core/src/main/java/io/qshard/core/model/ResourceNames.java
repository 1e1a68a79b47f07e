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

    /** Local ephemeral storage, bytes (a {@link ScalarResources} entry). */
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    /** Prefix of the huge page resources ({@code hugepages-2Mi}), bytes. */
    public static final String HUGEPAGES_PREFIX = "hugepages-";
    /** Prefix of the per-driver attach limits a node may report as allocatable. */
    public static final String ATTACHABLE_VOLUMES_PREFIX = "attachable-volumes-";

    private ResourceNames() {}

    /** kube's IsNativeResource: no domain, or a {@code kubernetes.io/} one. */
    public static boolean isNative(String name) {
        return name.indexOf('/') < 0 || name.contains("kubernetes.io/");
    }

    /**
     * kube's IsExtendedResourceName: a domain-qualified name outside {@code kubernetes.io/}, not starting with
     * {@code requests.} (the batch pair qualifies; {@link Resources} keeps it in its own fields).
     */
    public static boolean isExtended(String name) {
        return !isNative(name) && !name.startsWith("requests.");
    }

    /**
     * kube's IsScalarResourceName: what goes into {@link ScalarResources} — extended resources, huge pages,
     * {@code kubernetes.io/}-prefixed native ones and attach limits; qshard adds ephemeral-storage (kube-scheduler keeps it
     * in a field of its own, with the same fit rule).
     */
    public static boolean isScalar(String name) {
        return isExtended(name)
                || name.startsWith(HUGEPAGES_PREFIX)
                || (name.indexOf('/') >= 0 && name.contains("kubernetes.io/"))
                || name.startsWith(ATTACHABLE_VOLUMES_PREFIX)
                || EPHEMERAL_STORAGE.equals(name);
    }
}
