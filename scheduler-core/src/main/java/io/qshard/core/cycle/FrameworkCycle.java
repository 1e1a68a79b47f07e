package io.qshard.core.cycle;

import io.qshard.core.algorithm.DecisionReuse;
import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PermitPlugin;
import io.qshard.core.framework.PostBindPlugin;
import io.qshard.core.framework.PostFilterPlugin;
import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.PreBindPlugin;
import io.qshard.core.framework.PreEnqueuePlugin;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One tier's scheduling framework: runs a pod through every extension point of its profile, as kube-scheduler's
 * framework does (docs/architecture.md, "The scheduling cycle"):
 * <pre>
 * queue:            PreEnqueue                                                   {@link #preEnqueue}
 * scheduling cycle: PreFilter → Filter → (none fit: PostFilter) → PreScore → Score → pick
 *                   → Reserve (runtime's cache first) → Permit (runtime's last)  {@link #schedule}
 * binding cycle:    PreBind → Bind → PostBind                                    {@link #bind}
 * on failure:       Unreserve, in reverse order                                  {@link #unreserve}
 * </pre>
 * The filter/score part is {@link DecisionReuse} over the profile's {@link SchedulingAlgorithm}: a function of
 * (snapshot, pod, seed). Threading: {@link #schedule} and {@link #unreserve} on the decision thread; {@link #bind}
 * starts there and completes wherever the binder answers; {@link #preEnqueue} on any thread. Expected refusals are
 * outcomes. An exception from a plugin is a bug: from a filter, scorer, Reserve or Permit plugin it propagates out of
 * {@link #schedule} after every reserver was unreserved (the runtime requeues the pod with backoff); from PreEnqueue
 * it holds the pod back; from PreBind or Bind it fails the binding; from Unreserve or PostBind it is logged and
 * counted ({@link #pluginErrors}, and told to the runtime's {@link RuntimeSteps#pluginFailed}) and the other plugins still run — the runtime's own reservation is always undone.
 */
public final class FrameworkCycle {

    private final SchedulingAlgorithm algorithm;
    private final DecisionReuse decisions;
    private final PreEnqueuePlugin[] preEnqueues;
    private final PostFilterPlugin[] postFilters;
    private final ReservePlugin[] reservers;
    private final PermitPlugin[] permits;
    private final PreBindPlugin[] preBinds;
    private final BindPlugin binder;
    private final PostBindPlugin[] postBinds;
    private final RuntimeSteps runtime;
    private final LongAdder pluginErrors = new LongAdder();

    /**
     * @param equivalentPodReuse decisions made from one equivalent pod's window before a full one, ≥ 0 (0: off)
     */
    public FrameworkCycle(Profile profile, NodesToScore nodesToScore, int equivalentPodReuse, RuntimeSteps runtime) {
        this.algorithm = new SchedulingAlgorithm(profile, nodesToScore);
        this.decisions = new DecisionReuse(algorithm, equivalentPodReuse);
        this.runtime = runtime;
        this.preEnqueues = profile.preEnqueues().toArray(PreEnqueuePlugin[]::new);
        this.postFilters = profile.postFilters().toArray(PostFilterPlugin[]::new);
        List<ReservePlugin> r = new ArrayList<>(runtime.reservers());
        r.addAll(profile.reservers());
        this.reservers = r.toArray(ReservePlugin[]::new);
        List<PermitPlugin> p = new ArrayList<>(profile.permits());
        p.addAll(runtime.permits());
        this.permits = p.toArray(PermitPlugin[]::new);
        this.preBinds = profile.preBinds().toArray(PreBindPlugin[]::new);
        this.binder = profile.binders().isEmpty()
                ? runtime.binder()
                : profile.binders().get(0);
        this.postBinds = profile.postBinds().toArray(PostBindPlugin[]::new);
    }

    /** Whether the profile has PostFilter plugins (preemption). */
    public boolean hasPostFilters() {
        return postFilters.length > 0;
    }

    /** Whether the profile has PreEnqueue plugins (without any, every pod is admitted to the queue). */
    public boolean gatesPods() {
        return preEnqueues.length > 0;
    }

    /**
     * PreEnqueue: SUCCESS when the pod may be queued, else the first plugin's reason to hold it back. A plugin that
     * throws holds the pod back too (logged, counted): it is asked again on the pod's next update.
     */
    public Status preEnqueue(PodRequest pod) {
        for (PreEnqueuePlugin p : preEnqueues) {
            Status s;
            try {
                s = p.preEnqueue(pod);
            } catch (RuntimeException e) {
                failed(p.name(), "PreEnqueue", pod, e);
                s = Status.error(p.name(), "PreEnqueue failed: " + e);
            }
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /** The scheduling cycle of {@code pod} on {@code snapshot}: a decision, then Reserve and Permit on its node. */
    public CycleOutcome schedule(ClusterSnapshot snapshot, PodRequest pod, long seed) {
        CycleState state = new CycleState();
        long t0 = System.nanoTime();
        ScheduleResult result = decisions.schedule(snapshot, pod, seed, state);
        long decisionNanos = System.nanoTime() - t0;
        if (!result.isPlaced()) {
            return new CycleOutcome.Unschedulable(
                    result.diagnosis(), postFilter(state, pod, snapshot, result), result.evaluated(), decisionNanos);
        }
        String node = result.node();
        try {
            for (ReservePlugin p : reservers) {
                Status s = p.reserve(state, pod, node);
                if (!s.isSuccess()) {
                    unreserve(state, pod, node); // every reserver, as kube-scheduler: unreserve is idempotent
                    return new CycleOutcome.Rejected(node, s, decisionNanos);
                }
            }
            for (PermitPlugin p : permits) {
                Status s = p.permit(state, pod, node);
                if (!s.isSuccess()) {
                    unreserve(state, pod, node);
                    return new CycleOutcome.Rejected(node, s, decisionNanos);
                }
            }
        } catch (RuntimeException e) {
            unreserve(state, pod, node);
            throw e;
        }
        return new CycleOutcome.Reserved(
                pod, node, result.score(), result.evaluated(), result.feasible(), state, decisionNanos);
    }

    private PostFilterResult postFilter(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, ScheduleResult result) {
        PostFilterResult last = PostFilterResult.NONE;
        for (PostFilterPlugin p : postFilters) {
            last = p.postFilter(state, pod, snapshot, result.diagnosis(), algorithm::prepare);
            if (last.status().isSuccess()) {
                return last;
            }
        }
        return last; // the last plugin's reason (kube-scheduler's shipped profiles have one PostFilter)
    }

    /**
     * The binding cycle: PreBind (on the runtime's pre-bind executor, only if a PreBind plugin of the profile
     * {@link PreBindPlugin#preBindNeeded needs to run} for the pod), Bind,
     * and on success PostBind. {@code done} is called exactly once, on the thread that finished, with the outcome, before
     * the PostBind plugins; a failure is not unreserved here — the runtime calls {@link #unreserve} on its decision
     * thread.
     */
    public void bind(CycleOutcome.Reserved r, Consumer<BindResult> done) {
        Consumer<BindResult> once = exactlyOnce(result -> {
            done.accept(result);
            if (result.code() == BindResult.Code.BOUND) {
                for (PostBindPlugin p : postBinds) {
                    try {
                        p.postBind(r.state(), r.pod(), r.node());
                    } catch (RuntimeException e) {
                        failed(p.name(), "PostBind", r.pod(), e);
                    }
                }
            }
        });
        if (!preBindNeeded(r)) {
            callBinder(r, once);
            return;
        }
        runtime.preBindExecutor().execute(() -> {
            for (PreBindPlugin p : preBinds) {
                Status s;
                try {
                    s = p.preBind(r.state(), r.pod(), r.node());
                } catch (RuntimeException e) {
                    s = Status.error(p.name(), "PreBind failed: " + e);
                }
                if (!s.isSuccess()) {
                    once.accept(BindResult.failed(p.name() + ": " + s.message()));
                    return;
                }
            }
            callBinder(r, once);
        });
    }

    /** Whether a PreBind plugin has work for this pod (asked on the calling thread; an exception counts as yes). */
    private boolean preBindNeeded(CycleOutcome.Reserved r) {
        for (PreBindPlugin p : preBinds) {
            try {
                if (p.preBindNeeded(r.state(), r.pod())) {
                    return true;
                }
            } catch (RuntimeException e) {
                return true; // its preBind runs, and fails the binding if it is broken too
            }
        }
        return false;
    }

    private void callBinder(CycleOutcome.Reserved r, Consumer<BindResult> done) {
        try {
            binder.bind(r.state(), r.pod(), r.node(), done);
        } catch (RuntimeException e) {
            done.accept(BindResult.failed(binder.name() + " failed: " + e));
        }
    }

    private static Consumer<BindResult> exactlyOnce(Consumer<BindResult> done) {
        AtomicBoolean called = new AtomicBoolean();
        return result -> {
            if (called.compareAndSet(false, true)) {
                done.accept(result);
            }
        };
    }

    /** Unreserve after a failed binding: every reserver, in reverse order (decision thread). */
    public void unreserve(CycleOutcome.Reserved r) {
        unreserve(r.state(), r.pod(), r.node());
    }

    /** Every reserver in reverse order, each on its own: one that throws does not keep the others (the cache) from it. */
    private void unreserve(CycleState state, PodRequest pod, String node) {
        for (int j = reservers.length - 1; j >= 0; j--) {
            try {
                reservers[j].unreserve(state, pod, node);
            } catch (RuntimeException e) {
                failed(reservers[j].name(), "Unreserve", pod, e);
            }
        }
    }

    private void failed(String plugin, String point, PodRequest pod, RuntimeException e) {
        pluginErrors.increment();
        runtime.pluginFailed().failed(plugin, point, pod, e);
    }

    /** Exceptions caught from PreEnqueue, Unreserve and PostBind plugins so far (any thread). */
    public long pluginErrors() {
        return pluginErrors.sum();
    }

    /** Full decisions so far (any thread). */
    public long fullDecisions() {
        return decisions.fullDecisions();
    }

    /** Decisions made from an equivalent pod's window so far (any thread). */
    public long reusedDecisions() {
        return decisions.reusedDecisions();
    }
}
