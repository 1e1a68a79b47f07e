package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/** Runs once per pod before any node is filtered: validate the pod, precompute into the {@link CycleState}. */
public interface PreFilterPlugin extends Plugin {
    /**
     * @return {@link Status#SUCCESS}; {@link Status#SKIP} when this plugin's {@link FilterPlugin#filter} would
     *         pass every node for this pod (it is then not called); or a status that ends the cycle for
     *         every node (reported as the whole diagnosis)
     */
    Status preFilter(CycleState state, PodRequest pod);
}
