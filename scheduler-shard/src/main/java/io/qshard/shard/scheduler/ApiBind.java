package io.qshard.shard.scheduler;

import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.binder.PodBinder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The runtime's default Bind step: the pod's binding through a {@link PodBinder} (the API's {@code pods/binding}),
 * its outcome translated into the framework's {@link BindResult}. Called on the decision thread, or on a pre-bind
 * thread when the profile has PreBind plugins; blocks only while the binder has no room (its backpressure). A binding
 * is not handed over once the instance no longer leads (NOT_SENT): PreBind may have run after the lease was lost.
 * Thread-safe.
 */
final class ApiBind implements BindPlugin {
    static final String NAME = "DefaultBinder";

    private final PodBinder binder;
    private final BooleanSupplier leading;

    /** @param leading whether the instance leads its shard now (thread-safe) */
    ApiBind(PodBinder binder, BooleanSupplier leading) {
        this.binder = binder;
        this.leading = leading;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void bind(CycleState state, PodRequest pod, String nodeName, Consumer<BindResult> done) {
        if (!leading.getAsBoolean()) {
            done.accept(new BindResult(BindResult.Code.NOT_SENT, "leadership lost before the binding was sent"));
            return;
        }
        try {
            binder.bind(pod.namespace(), pod.name(), pod.uid(), nodeName, outcome -> done.accept(result(outcome)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the decision loop ends at its next wait
            done.accept(new BindResult(BindResult.Code.NOT_SENT, "interrupted before the binding was sent"));
        }
    }

    static BindResult result(BindOutcome o) {
        return switch (o.kind()) {
            case BOUND -> BindResult.BOUND;
            case ALREADY_BOUND -> new BindResult(BindResult.Code.ALREADY_BOUND, o.message());
            case BOUND_ELSEWHERE -> new BindResult(BindResult.Code.BOUND_ELSEWHERE, o.message());
            case POD_GONE -> new BindResult(BindResult.Code.POD_GONE, o.message());
            case NOT_SENT -> new BindResult(BindResult.Code.NOT_SENT, o.message());
            case FAILED -> new BindResult(BindResult.Code.FAILED, o.message());
        };
    }
}
