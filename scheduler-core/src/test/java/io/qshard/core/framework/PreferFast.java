package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/** The README's example plugin: prefers nodes labelled {@code fast=true}. */
public final class PreferFast implements ScorePlugin {
    public static final String NAME = "PreferFast";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        return "true".equals(node.node().labels().get("fast")) ? MAX_SCORE : 0;
    }
}
