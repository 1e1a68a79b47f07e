package io.qshard.core.plugins.schedulinggates;

import io.qshard.core.framework.PreEnqueuePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import java.util.List;

/**
 * PreEnqueue: a pod with {@code spec.schedulingGates} (Kubernetes 1.26+) is held out of the queue until every gate is
 * removed, as kube-scheduler's SchedulingGates plugin does — with its status, {@code UnschedulableAndUnresolvable} and
 * "waiting for scheduling gates: [a b]". The queue asks again on each update of the pod and queues it the moment its
 * gates are gone. An apiserver older than 1.26 drops the field, so there every pod passes. Stateless, thread-safe.
 */
public final class SchedulingGates implements PreEnqueuePlugin {
    public static final String NAME = "SchedulingGates";
    static final String REASON_PREFIX = "waiting for scheduling gates: ";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preEnqueue(PodRequest pod) {
        if (!pod.details().gated()) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(NAME, reason(pod.details().schedulingGates()));
    }

    /** kube-scheduler's text: the gate names as Go prints a string slice, {@code [a b]}. */
    static String reason(List<String> gates) {
        return REASON_PREFIX + "[" + String.join(" ", gates) + "]";
    }
}
