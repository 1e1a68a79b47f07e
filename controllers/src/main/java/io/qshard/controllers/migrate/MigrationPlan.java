package io.qshard.controllers.migrate;

import io.qshard.core.model.PodRequest;
import java.util.List;

/**
 * One cycle's plan: the pods to evict, in order, and why nodes were left alone. Immutable.
 *
 * @param moves the evictions, in the order to ask for them
 * @param skips per hot node that yields no eviction, the reason
 */
public record MigrationPlan(List<Move> moves, List<Skip> skips) {
    public MigrationPlan {
        moves = List.copyOf(moves);
        skips = List.copyOf(skips);
    }

    /**
     * @param pod      the victim (bound to {@code from})
     * @param from     the hot node
     * @param target   where the tier's algorithm would place it now (a hint: its scheduler decides)
     * @param usage    the victim's cpu usage, milli-cores
     * @param reason   why the node is hot, for Events ("node usage 94 % > 90 % for 3 reports")
     */
    public record Move(PodRequest pod, String from, String target, long usage, String reason) {}

    /** @param node a hot node @param reason why nothing leaves it this cycle */
    public record Skip(String node, String reason) {}
}
