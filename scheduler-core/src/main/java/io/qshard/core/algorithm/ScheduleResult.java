package io.qshard.core.algorithm;

import io.qshard.core.framework.Diagnosis;
import java.util.Optional;

/**
 * The decision for one pod. Immutable.
 *
 * @param node      chosen node, or null when none was feasible
 * @param score     the chosen node's weighted total score (0 when only one node was feasible)
 * @param evaluated nodes run through the filters
 * @param feasible  nodes that passed every filter
 * @param diagnosis why no node fit (null on success)
 */
public record ScheduleResult(String node, long score, int evaluated, int feasible, Diagnosis diagnosis) {

    public static ScheduleResult placed(String node, long score, int evaluated, int feasible) {
        return new ScheduleResult(node, score, evaluated, feasible, null);
    }

    public static ScheduleResult unschedulable(Diagnosis diagnosis, int evaluated) {
        return new ScheduleResult(null, 0, evaluated, 0, diagnosis);
    }

    public boolean isPlaced() {
        return node != null;
    }

    public Optional<String> nodeName() {
        return Optional.ofNullable(node);
    }
}
