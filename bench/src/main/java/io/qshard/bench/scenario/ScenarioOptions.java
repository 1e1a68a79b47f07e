package io.qshard.bench.scenario;

import io.qshard.core.config.QshardConfig;
import io.qshard.predict.backtest.Trace;
import io.qshard.simulator.PodUtilisation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One offline trace scenario: a fleet whose prod pods request {@code prodRequestFraction} of each node's cpu while
 * their real load replays real traces, and a standing stream of batch and free jobs placed by qshard's own
 * algorithm, usage view and predictors, all on a simulated clock. Immutable.
 *
 * @param nodes               fleet size
 * @param nodeCpuMilli        each node's cpu
 * @param nodeMemoryBytes     each node's memory
 * @param traces              the prod load: node i replays trace i mod n (offset per node)
 * @param prodRequestFraction share of each node's cpu that prod pods request (statically placed)
 * @param prodMemoryLoad      prod's memory usage, fraction of the node (constant: the traces' memory includes page
 *                            cache and would leave no memory pool; the scenario is about cpu)
 * @param jobs                the batch/free job stream
 * @param utilisation         each batch/free pod's demand = request × u, u per pod
 * @param isolation           whether the node agent's besteffort box throttles batch and free
 * @param config              tiers, pools and prediction settings the schedulers use
 * @param step                simulated time between reports (and scheduling rounds)
 * @param warmUp              simulated time before measuring (predictors learn, the fleet fills)
 * @param measured            simulated time measured after the warm-up
 * @param hotThreshold        node cpu usage above which a node-step counts as hot, fraction
 * @param seed                seeds the job stream and the tie-breaks
 */
public record ScenarioOptions(
        int nodes,
        long nodeCpuMilli,
        long nodeMemoryBytes,
        List<Trace> traces,
        double prodRequestFraction,
        double prodMemoryLoad,
        JobStream.Settings jobs,
        PodUtilisation utilisation,
        boolean isolation,
        QshardConfig config,
        Duration step,
        Duration warmUp,
        Duration measured,
        double hotThreshold,
        long seed) {
    public ScenarioOptions {
        traces = List.copyOf(traces);
        Objects.requireNonNull(config, "config");
        if (nodes < 1 || traces.isEmpty()) {
            throw new IllegalArgumentException("need at least one node and one trace");
        }
    }

    /** @return these options with other isolation */
    public ScenarioOptions withIsolation(boolean on) {
        return new ScenarioOptions(
                nodes,
                nodeCpuMilli,
                nodeMemoryBytes,
                traces,
                prodRequestFraction,
                prodMemoryLoad,
                jobs,
                utilisation,
                on,
                config,
                step,
                warmUp,
                measured,
                hotThreshold,
                seed);
    }

    /** @return these options with another scheduler configuration */
    public ScenarioOptions withConfig(QshardConfig other) {
        return new ScenarioOptions(
                nodes,
                nodeCpuMilli,
                nodeMemoryBytes,
                traces,
                prodRequestFraction,
                prodMemoryLoad,
                jobs,
                utilisation,
                isolation,
                other,
                step,
                warmUp,
                measured,
                hotThreshold,
                seed);
    }
}
