package io.qshard.core.preemption;

import static io.qshard.core.testing.Fixtures.node;

import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler 1.20's preemption test fixtures ({@code default_preemption_test.go}): nodes of 500m cpu; priorities
 * neg −100, low 0, mid 100, high 1000, veryHigh 10000; requests small 100m, medium 200m, large 300m, veryLarge 500m;
 * start times {@code epoch + n} ns. The fit is cpu only: Σ requests on the node + the preemptor's ≤ 500m.
 */
final class PreemptionFixtures {
    static final int NEG = -100;
    static final int LOW = 0;
    static final int MID = 100;
    static final int HIGH = 1000;
    static final int VERY_HIGH = 10000;
    static final long CAPACITY = 500;

    /** uid → start time; pods not in it started at the epoch. */
    final Map<String, Instant> started = new HashMap<>();

    final VictimOrder order = new VictimOrder(p -> started.getOrDefault(p.uid(), Instant.EPOCH));

    /** A pod of {@code cpu} milli-cores and {@code priority}, started {@code startNanos} after the epoch. */
    PodRequest pod(String uid, int priority, long cpu, long startNanos) {
        started.put(uid, Instant.EPOCH.plusNanos(startNanos));
        return io.qshard.core.testing.Fixtures.pod(uid, "prod", cpu, 0)
                .priority(priority)
                .build();
    }

    /** {@link #pod} with labels. */
    PodRequest labelled(String uid, int priority, long cpu, Map<String, String> labels) {
        return pod(uid, priority, cpu, 0).withTopology(labels, PodAffinity.NONE, List.of());
    }

    /** A 500m node holding {@code pods}. */
    static NodeState node500(String name, PodRequest... pods) {
        NodeState n = node(name, CAPACITY, 1).state();
        for (PodRequest p : pods) {
            n = n.reserve(p);
        }
        return n;
    }

    /** The cpu-only fit of {@code preemptor}. */
    static NodeVictims.Fit cpuFit(PodRequest preemptor) {
        return n -> n.requested(NodeState.CPU) + preemptor.requests().milliCpu() <= n.allocatable(NodeState.CPU);
    }

    /** The uids of the victims, in order. */
    static List<String> uids(Victims v) {
        return v.pods().stream().map(PodRequest::uid).toList();
    }

    static PodRequest preemptor(int priority, long cpu) {
        return io.qshard.core.testing.Fixtures.pod("p", "prod", cpu, 0)
                .priority(priority)
                .build();
    }
}
