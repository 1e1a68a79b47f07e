package io.qshard.agent.cgroup;

/**
 * The kubelet's QoS classes, each with its own place in the kubepods cgroup hierarchy: Guaranteed pods sit directly
 * under kubepods, Burstable and BestEffort pods under a parent per class. qshard's tiers map onto them (docs/architecture.md):
 * prod is Guaranteed, mid Burstable, batch and free BestEffort.
 */
public enum QosClass {
    GUARANTEED(""),
    BURSTABLE("burstable"),
    BESTEFFORT("besteffort");

    private final String segment;

    QosClass(String segment) {
        this.segment = segment;
    }

    /** The class's directory name under kubepods with the cgroupfs driver ({@code ""} for Guaranteed). */
    public String segment() {
        return segment;
    }
}
