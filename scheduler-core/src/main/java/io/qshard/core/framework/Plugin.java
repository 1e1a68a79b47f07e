package io.qshard.core.framework;

/**
 * A scheduling plugin. Each plugin class declares a {@code public static final String NAME}, returns it
 * from {@link #name()}, is registered under it in the {@link PluginRegistry}, and implements one or more of
 * the extension-point interfaces, in the order a pod meets them (kube-scheduler's framework):
 * {@link PreEnqueuePlugin} → {@link PreFilterPlugin} → {@link FilterPlugin} → {@link PostFilterPlugin} (no node fit)
 * → {@link PreScorePlugin} → {@link ScorePlugin} → {@link ReservePlugin} → {@link PermitPlugin} → {@link PreBindPlugin}
 * → {@link BindPlugin} → {@link PostBindPlugin}, with {@link ReservePlugin#unreserve} when a later step fails
 * ({@code io.qshard.core.cycle.FrameworkCycle} runs them). A plugin reads the cluster only through the cycle's
 * snapshot ({@link io.qshard.core.snapshot.NodeState}) and its own arguments. Plugins are stateless or immutable: one
 * instance serves every cycle of a tier's profile, and per-cycle data goes into the {@link CycleState}.
 */
public interface Plugin {
    /** The registry name, e.g. {@code "TierResourceFit"}. */
    String name();

    /**
     * Whether this plugin's answers for a node — its filter verdict, its score, and its pre-score verdict over a set of
     * nodes — depend on nothing but the pod's scheduling fields (everything of {@link io.qshard.core.model.PodRequest}
     * except uid, name, creation time and node) and those nodes' {@link io.qshard.core.snapshot.NodeState} objects: no
     * other node, no outside view, no clock. Then an answer may be reused for an equivalent pod as long as the node's
     * {@code NodeState} is the same object ({@link io.qshard.core.algorithm.DecisionReuse}). Default false: a plugin
     * that reads, say, a usage view must not claim it.
     *
     * <p>A plugin that is not node-local still lets a pod's decisions be reused when, on the snapshot at hand, its
     * {@link PreFilterPlugin#preFilter} and {@link PreScorePlugin#preScore} both return {@link Status#SKIP} for the pod
     * (the topology plugins do for a pod no affinity, anti-affinity or spread rule concerns): then it takes no part in
     * the decision. The algorithm checks that on every decision, reused ones included.
     */
    default boolean nodeLocal() {
        return false;
    }
}
