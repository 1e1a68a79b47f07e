package io.qshard.agent.sample;

import io.qshard.agent.cgroup.QosClass;
import io.qshard.core.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The node's usage over one sample window: cpu as an average rate (milli-cores), memory as the working set at the
 * end (bytes). Immutable.
 *
 * @param at      end of the window
 * @param window  its length
 * @param node    the whole node (from {@code /proc}, or the kubepods cgroup when the agent is told to)
 * @param classes per QoS class: its parent cgroup's usage (Guaranteed: kubepods minus the other two)
 * @param pods    per pod uid
 */
public record NodeSample(
        Instant at, Duration window, Usage node, Map<QosClass, Usage> classes, Map<String, Usage> pods) {
    public NodeSample {
        classes = Map.copyOf(classes);
        pods = Map.copyOf(pods);
    }

    /** @return the usage of a class (zero when unknown) */
    public Usage of(QosClass qos) {
        return classes.getOrDefault(qos, Usage.ZERO);
    }

    /** @return cpu the agent must not lend: the node minus what burstable and besteffort pods use, milli-cores */
    public long protectedCpuMilli() {
        return Math.max(
                0,
                node.milliCpu()
                        - of(QosClass.BURSTABLE).milliCpu()
                        - of(QosClass.BESTEFFORT).milliCpu());
    }
}
