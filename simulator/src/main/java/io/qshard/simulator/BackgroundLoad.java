package io.qshard.simulator;

/**
 * The background (prod) load of a simulated node over time: what its prod pods use together, as a fraction of the
 * node's real allocatable. Implementations must be thread-safe (read by the simulator's tick thread).
 */
public interface BackgroundLoad {
    /**
     * @param node           the node's name
     * @param index          the node's index in the simulator (order of arrival), for spreading traces over nodes
     * @param elapsedSeconds seconds since the simulation started
     * @return the cpu load, fraction of real allocatable cpu (1.04 = 104 %)
     */
    double cpu(String node, int index, double elapsedSeconds);

    /** @return the memory load, fraction of real allocatable memory */
    double memory(String node, int index, double elapsedSeconds);
}
