package io.qshard.core.plugins.defaultpreemption;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.EvictionCaps;
import io.qshard.core.framework.FilterHandle;
import io.qshard.core.framework.PostFilterPlugin;
import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.preemption.Preemption;
import io.qshard.core.preemption.PreemptionArgs;
import io.qshard.core.preemption.VictimOrder;
import io.qshard.core.preemption.Victims;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * kube-scheduler 1.20's DefaultPreemption PostFilter: for a pod no node fit, the node where removing strictly
 * lower-priority pods makes it fit with the fewest PodDisruptionBudget violations and the least important victims
 * ({@link Preemption}), checked with the tier's own filters and the snapshot's budgets. It only decides: the runtime
 * deletes the victims and writes the nomination. Results:
 *
 * <ul>
 *   <li>SUCCESS: nominate {@code node} once the victims are gone;
 *   <li>UNSCHEDULABLE: not eligible ({@code preemptionPolicy: Never}, or its earlier preemption is still under way),
 *       or no node where preemption makes room;
 *   <li>UNRESOLVABLE: every node was rejected for reasons no removal changes — the runtime clears the pod's nomination.
 * </ul>
 * The dry run starts at an offset derived from the pod's uid and the snapshot's generation (1.20: random), so a
 * decision is a function of (snapshot, pod, clock, caps). Candidates whose victims from lower tiers are over the
 * process's cross-tier caps ({@link EvictionCaps}) are passed over. Stateless apart from its arguments; decision
 * thread.
 */
public final class DefaultPreemption implements PostFilterPlugin {
    public static final String NAME = "DefaultPreemption";

    /** The reason given when candidates existed but every one was over the cross-tier eviction caps. */
    public static final String CAPPED =
            "every node where removing lower-priority pods makes room is over the" + " cross-tier eviction caps";

    private final PreemptionArgs args;
    private final Clock clock;
    private final EvictionCaps caps;

    /** @param caps the cross-tier eviction caps ({@link EvictionCaps#NONE}: kube-scheduler's behaviour) */
    public DefaultPreemption(PreemptionArgs args, Clock clock, EvictionCaps caps) {
        this.args = Objects.requireNonNull(args, "args");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.caps = Objects.requireNonNull(caps, "caps");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PostFilterResult postFilter(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, Diagnosis diagnosis, FilterHandle filters) {
        if (!Preemption.eligible(pod, snapshot, diagnosis)) {
            return PostFilterResult.none(Status.unschedulable(
                    NAME,
                    pod.details().preemptNever()
                            ? "not eligible: preemptionPolicy is Never"
                            : "not eligible: lower-priority pods are still terminating on its nominated node"));
        }
        List<NodeState> potential = Preemption.potentialNodes(snapshot, diagnosis);
        if (potential.isEmpty()) {
            return PostFilterResult.none(Status.unresolvable(NAME, "preemption cannot help on any node"));
        }
        int offset = (pod.uid().hashCode() * 31 + Long.hashCode(snapshot.generation())) & Integer.MAX_VALUE;
        Instant now = clock.instant();
        boolean[] capped = {false};
        int[] violating = {0};
        Victims v = new Preemption(filters, args, VictimOrder.byStartTime(now))
                .decideAmong(potential, snapshot, pod, snapshot.budgets(), offset, c -> {
                    boolean ok = caps.allows(pod, c.node(), c.pods(), now);
                    capped[0] |= !ok;
                    violating[0] += ok && c.pdbViolations() > 0 ? 1 : 0;
                    return ok;
                });
        if (v == null) {
            return PostFilterResult.none(Status.unschedulable(
                    NAME, capped[0] ? CAPPED : "no node where removing lower-priority pods makes room"));
        }
        return PostFilterResult.preempt(
                v.node(), v.pods(), v.pdbViolations(), violating[0] - (v.pdbViolations() > 0 ? 1 : 0));
    }
}
