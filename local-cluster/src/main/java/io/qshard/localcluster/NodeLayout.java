package io.qshard.localcluster;

import java.nio.file.Path;

/**
 * Where one kubelet node of a run keeps its files and which host names it uses (pure; §3.2 of the plan). Immutable.
 *
 * @param runDir the run directory ({@code <tmp>/qshard-kl-<runId>})
 * @param runId  the run's id (8 base-36 characters)
 * @param index  the node's index, 1-based
 */
record NodeLayout(Path runDir, String runId, int index) {

    NodeLayout {
        if (!runId.matches("[a-z0-9]{6,12}")) {
            throw new IllegalArgumentException("runId must be 6..12 base-36 characters, was " + runId);
        }
        if (index < 1 || index > KubeletNodes.MAX_NODES) {
            throw new IllegalArgumentException("index must be in 1.." + KubeletNodes.MAX_NODES + ", was " + index);
        }
    }

    String nodeName() {
        return KubeletNodes.nodeName(index);
    }

    Path dir() {
        return runDir.resolve("n" + index);
    }

    Path socket() {
        return dir().resolve("containerd.sock");
    }

    Path kubeletRoot() {
        return dir().resolve("kubelet");
    }

    Path logs() {
        return dir().resolve("logs");
    }

    /** The run's cgroup, {@code qshard-kl-<runId>}, in every hierarchy. */
    String runCgroup() {
        return KubeletRun.PREFIX + runId;
    }

    /** The kubelet's cgroup root (pods), relative to a hierarchy. */
    String podCgroup() {
        return runCgroup() + "/n" + index;
    }

    /** The cgroup containerd, the kubelet and the shims run in, relative to a hierarchy. */
    String daemonCgroup() {
        return runCgroup() + "/sys-n" + index;
    }

    /** {@code qkl<first 6 of runId>n<i>}: at most 15 characters, unique per run and node. */
    String bridge() {
        return "qkl" + runId.substring(0, 6) + "n" + index;
    }

    /** A /24 in 10.244.20.0–10.244.219.0; the bridge has no address and no route, so overlaps are harmless. */
    String subnet() {
        return "10.244." + (20 + Math.floorMod(runId.hashCode() + index, 200)) + ".0/24";
    }
}
