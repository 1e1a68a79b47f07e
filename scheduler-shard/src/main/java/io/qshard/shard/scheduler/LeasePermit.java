package io.qshard.shard.scheduler;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PermitPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import java.util.function.BooleanSupplier;

/**
 * The runtime's own Permit step, run after the profile's: a placement is bound only while this instance leads its
 * shard's Lease and the node is still active in its shard — either may have changed while it decided (a leader that
 * has learnt it lost the lease reserves nothing more; a released node takes no new pod). {@link ApiBind} checks the
 * lease again when it hands the binding over. Decision thread only.
 */
final class LeasePermit implements PermitPlugin {
    static final String NAME = "LeaseAndShard";
    private static final Status NOT_LEADING = Status.unschedulable(NAME, "this instance no longer leads its shard");
    private static final Status RELEASED = Status.unschedulable(NAME, "the node left this instance's shard");

    private final BooleanSupplier leading;
    private final ShardGate gate;

    LeasePermit(BooleanSupplier leading, ShardGate gate) {
        this.leading = leading;
        this.gate = gate;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status permit(CycleState state, PodRequest pod, String nodeName) {
        if (!leading.getAsBoolean()) {
            return NOT_LEADING;
        }
        return gate.isActive(nodeName) ? Status.SUCCESS : RELEASED;
    }
}
