package io.qshard.localcluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How to start {@link KubeletNodes}. Immutable; build variations with the {@code with*} methods.
 *
 * @param count                  number of kubelet nodes, 1..{@value KubeletNodes#MAX_NODES}
 * @param milliCpuPerNode        allocatable cpu of each node in millicores (the rest of the machine's cores is
 *                               {@code --system-reserved}); the sum over nodes may not exceed the machine's cores
 * @param memoryBytesPerNode     allocatable memory of each node in bytes (the rest of {@code MemTotal}, minus the
 *                               100 Mi eviction threshold, is {@code --system-reserved})
 * @param statusUpdateFrequency  the kubelet's {@code --node-status-update-frequency} (2 s: Ready in ≈10 s)
 * @param startTimeout           how long each node may take from containerd's start to {@code Ready=True}
 * @param privateMountNamespace  run each containerd + kubelet pair in its own mount namespace (tmpfs on {@code /run},
 *                               {@code /var/log}, {@code /var/lib}; the sysctls the kubelet writes are masked), so
 *                               nothing they write lands on the host; {@code false} is not supported yet
 */
public record KubeletOptions(
        int count,
        long milliCpuPerNode,
        long memoryBytesPerNode,
        Duration statusUpdateFrequency,
        Duration startTimeout,
        boolean privateMountNamespace) {

    public KubeletOptions {
        if (count < 1 || count > KubeletNodes.MAX_NODES) {
            throw new IllegalArgumentException("count must be in 1.." + KubeletNodes.MAX_NODES + ", was " + count);
        }
        if (milliCpuPerNode < 100) {
            throw new IllegalArgumentException("milliCpuPerNode must be >= 100, was " + milliCpuPerNode);
        }
        if (memoryBytesPerNode < (256L << 20)) {
            throw new IllegalArgumentException("memoryBytesPerNode must be >= 256Mi, was " + memoryBytesPerNode);
        }
        Objects.requireNonNull(statusUpdateFrequency, "statusUpdateFrequency");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (statusUpdateFrequency.isNegative() || statusUpdateFrequency.isZero()) {
            throw new IllegalArgumentException("statusUpdateFrequency must be positive, was " + statusUpdateFrequency);
        }
        if (!privateMountNamespace) {
            throw new IllegalArgumentException("privateMountNamespace=false is not supported");
        }
    }

    /** Two nodes of 1000m / 3 GiB each, status every 2 s, 90 s to become Ready, private mount namespaces. */
    public static KubeletOptions defaults() {
        return new KubeletOptions(2, 1000, 3L << 30, Duration.ofSeconds(2), Duration.ofSeconds(90), true);
    }

    public KubeletOptions withCount(int n) {
        return new KubeletOptions(
                n, milliCpuPerNode, memoryBytesPerNode, statusUpdateFrequency, startTimeout, privateMountNamespace);
    }

    public KubeletOptions withMilliCpuPerNode(long m) {
        return new KubeletOptions(
                count, m, memoryBytesPerNode, statusUpdateFrequency, startTimeout, privateMountNamespace);
    }

    public KubeletOptions withMemoryBytesPerNode(long bytes) {
        return new KubeletOptions(
                count, milliCpuPerNode, bytes, statusUpdateFrequency, startTimeout, privateMountNamespace);
    }

    public KubeletOptions withStartTimeout(Duration d) {
        return new KubeletOptions(
                count, milliCpuPerNode, memoryBytesPerNode, statusUpdateFrequency, d, privateMountNamespace);
    }
}
