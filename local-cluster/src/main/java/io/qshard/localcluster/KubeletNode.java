package io.qshard.localcluster;

import java.nio.file.Path;

/**
 * One running kubelet node of {@link KubeletNodes}. Immutable.
 *
 * @param name                   the Node's name ({@code qshard-kl-1}, …)
 * @param cgroupParent           the kubelet's {@code --cgroup-root} without the leading slash
 *                               ({@code qshard-kl-<run>/n1}): pods live under
 *                               {@code /sys/fs/cgroup/<controller>/<cgroupParent>/kubepods}; what the node agent's
 *                               {@code --cgroup-parent} takes
 * @param allocatableMilliCpu    the node's allocatable cpu in millicores
 * @param allocatableMemoryBytes the node's allocatable memory in bytes
 * @param kubeletLog             the kubelet's log file
 * @param containerdLog          containerd's log file
 * @param kubeletPid             the kubelet's pid
 * @param containerdPid          containerd's pid
 * @param bridge                 the CNI bridge on the host
 * @param subnet                 the pods' subnet (CIDR)
 */
public record KubeletNode(
        String name,
        String cgroupParent,
        long allocatableMilliCpu,
        long allocatableMemoryBytes,
        Path kubeletLog,
        Path containerdLog,
        long kubeletPid,
        long containerdPid,
        String bridge,
        String subnet) {

    /** {@code /sys/fs/cgroup/<controller>/<cgroupParent>/kubepods}: the root of this node's pod cgroups (v1). */
    public Path kubepodsCgroup(String controller) {
        return Path.of("/sys/fs/cgroup", controller).resolve(cgroupParent).resolve("kubepods");
    }
}
