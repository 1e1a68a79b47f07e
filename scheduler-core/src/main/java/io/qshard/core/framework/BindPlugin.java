package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import java.util.function.Consumer;

/**
 * Writes a pod's binding (kube-scheduler's Bind). The runtime supplies the default one (the {@code pods/binding} API);
 * a profile may name its own. Asynchronous: {@code done} is called exactly once, from any thread, with the outcome.
 * Must be thread-safe.
 */
public interface BindPlugin extends Plugin {
    void bind(CycleState state, PodRequest pod, String nodeName, Consumer<BindResult> done);
}
