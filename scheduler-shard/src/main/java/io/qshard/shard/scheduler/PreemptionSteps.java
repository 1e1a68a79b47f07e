package io.qshard.shard.scheduler;

import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.defaultpreemption.DefaultPreemption;
import io.qshard.core.preemption.CrossTierCaps;
import io.qshard.core.preemption.Victims;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.shard.preemption.PreemptionWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one tier instance does with its PostFilter's answer, and the nominations it made (decision thread only):
 *
 * <ul>
 *   <li>a nomination: the victims are marked terminating, recorded in the caps, the lower-priority nominations of
 *       qshard's pods on that node dropped, and the pod nominated — in the state and in its queue entry, so its next
 *       cycle sees the nomination (1.20's eligibility: no second preemption while its victims terminate) — then all of
 *       it goes to the writer;
 *   <li>the instance's own nomination stands until the API shows one: an update of the pod written meanwhile (its
 *       PodScheduled condition) does not clear it ({@link #merge}), as 1.20's nominator keeps an in-memory nomination
 *       while the object carries none;
 *   <li>a victim the writer could not delete undoes the nomination and the victims' terminating mark;
 *   <li>UNRESOLVABLE everywhere clears the pod's nomination.
 * </ul>
 */
final class PreemptionSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PreemptionSteps.class);

    private final String tier;
    private final ClusterState state;
    private final SchedulingQueue queue;
    private final PreemptionWriter writer;
    private final CrossTierCaps caps;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    /** Hands work back to the decision thread (the writer's failures). */
    private final Consumer<Runnable> inbox;
    /** uid → node this instance nominated the pod to, until the API shows a nomination of it. */
    private final Map<String, String> own = new HashMap<>();

    PreemptionSteps(
            String tier,
            ClusterState state,
            SchedulingQueue queue,
            PreemptionWriter writer,
            CrossTierCaps caps,
            SchedulerMetrics metrics,
            Clock clock,
            Consumer<Runnable> inbox) {
        this.tier = tier;
        this.state = state;
        this.queue = queue;
        this.writer = writer;
        this.caps = caps;
        this.metrics = metrics;
        this.clock = clock;
        this.inbox = inbox;
    }

    /** {@code pending} as this instance knows it: with its own nomination while the API does not show one yet. */
    PodRequest merge(PodRequest pending) {
        String node = own.get(pending.uid());
        if (node == null) {
            return pending;
        }
        if (pending.details().nominatedNode() != null) {
            own.remove(pending.uid()); // the API caught up (or someone nominated it since): it is the truth now
            return pending;
        }
        return nominated(pending, node);
    }

    /** The pod is bound or gone. */
    void forget(String uid) {
        own.remove(uid);
    }

    /** The PostFilter's answer {@code r} for {@code pod}, whose cycle found no node. */
    void apply(PodRequest pod, PostFilterResult r) {
        metrics.preemptionAttempts.increment();
        if (!r.status().isSuccess()) {
            if (r.status().reasons().contains(DefaultPreemption.CAPPED)) {
                metrics.preemptionsCapped.increment();
            } else {
                metrics.preemptionsFailed.increment();
            }
            if (r.status().code() == Status.Code.UNRESOLVABLE
                    && (pod.details().nominatedNode() != null || own.containsKey(pod.uid()))) {
                own.remove(pod.uid());
                state.unnominate(pod.uid());
                queue.add(nominated(pod, null));
                writer.clearNomination(pod);
            }
            return;
        }
        String node = r.nominatedNode();
        caps.record(pod, new Victims(node, r.victims(), r.pdbViolations()), clock.instant());
        metrics.preemptions.increment();
        metrics.pdbViolations.add(r.pdbViolations());
        metrics.pdbRefusals.add(r.budgetRefused());
        for (PodRequest v : r.victims()) {
            metrics.victimsByTier
                    .computeIfAbsent(v.tier() == null ? "other" : v.tier(), k -> new LongAdder())
                    .increment();
            state.upsertPod(v.withTerminating(true)); // being deleted: 1.20's eligibility waits for it
        }
        // 1.20 clears the lower nominations its own queue holds: here qshard's pods, never another scheduler's
        List<PodRequest> lower = state.node(node).map(NodeState::nominated).orElse(List.of()).stream()
                .filter(p -> p.priority() < pod.priority() && p.tier() != null)
                .toList();
        lower.forEach(p -> state.unnominate(p.uid()));
        PodRequest mine = nominated(pod, node);
        own.put(pod.uid(), node);
        state.nominate(mine);
        queue.add(mine); // the pod is in flight: its queue entry carries the nomination into its next cycle
        LOG.info(
                "tier {}: {} preempts {} pod(s) on {} ({} breaking a disruption budget): {}",
                tier,
                pod.key(),
                r.victims().size(),
                node,
                r.pdbViolations(),
                r.victims().stream().map(PodRequest::key).toList());
        writer.preempt(pod, node, r.victims(), lower, () -> inbox.accept(() -> deleteFailed(mine, r.victims())));
    }

    /** A victim could not be deleted: the room is not being made, so neither the nomination nor the marks stand. */
    private void deleteFailed(PodRequest pod, List<PodRequest> victims) {
        if (own.remove(pod.uid()) == null) {
            return; // bound, gone or decided again meanwhile
        }
        state.unnominate(pod.uid());
        queue.add(nominated(pod, null));
        for (PodRequest v : victims) {
            if (state.nodeOf(v.uid()).isPresent()) {
                state.upsertPod(v); // not terminating after all (its next update brings the API's view)
            }
        }
        LOG.warn("tier {}: the preemption for {} did not happen (a victim could not be deleted)", tier, pod.key());
    }

    private static PodRequest nominated(PodRequest pod, String node) {
        return pod.withDetails(pod.details().withPreemption(pod.details().preemptNever(), node));
    }
}
