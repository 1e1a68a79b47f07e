package io.qshard.agent.cgroup;

/** How the kubelet names cgroups: the cgroupfs driver's plain directories or the systemd driver's slices. */
public enum CgroupDriver {
    /** {@code kubepods/burstable/pod<uid>} */
    CGROUPFS,
    /** {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid with _ for ->.slice} */
    SYSTEMD
}
