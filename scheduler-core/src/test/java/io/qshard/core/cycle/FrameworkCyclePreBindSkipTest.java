package io.qshard.core.cycle;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.PreBindPlugin;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A binding goes through the pre-bind executor only when a PreBind plugin has work for the pod ({@code preBindNeeded}):
 * VolumeBinding has none for a pod without claims, so such a pod binds without the hop (and without the executor's
 * backpressure). A plugin whose {@code preBindNeeded} throws counts as needing it.
 */
class FrameworkCyclePreBindSkipTest {
    private final ClusterSnapshot one =
            ClusterSnapshot.empty().with(node("n1", 8000, 32).state());
    private final PodRequest pod = pod("p", "prod", 500, 1).build();

    @ParameterizedTest(name = "preBindNeeded {0} -> executor used {1}")
    @CsvSource({"no, false", "yes, true", "throws, true"})
    void theExecutorHopIsTakenOnlyWhenAPreBindPluginHasWork(String needed, boolean hop) {
        List<String> calls = new ArrayList<>();
        PluginRegistry registry = ShippedPlugins.registry().register("Gate", ctx -> new PreBindPlugin() {
            @Override
            public String name() {
                return "Gate";
            }

            @Override
            public boolean preBindNeeded(CycleState state, PodRequest p) {
                if (needed.equals("throws")) {
                    throw new IllegalStateException("plugin bug");
                }
                return needed.equals("yes");
            }

            @Override
            public Status preBind(CycleState state, PodRequest p, String nodeName) {
                calls.add("preBind");
                return Status.SUCCESS;
            }
        });
        BindPlugin binder = new BindPlugin() {
            @Override
            public String name() {
                return "Bind";
            }

            @Override
            public void bind(CycleState state, PodRequest p, String nodeName, Consumer<BindResult> done) {
                calls.add("bind");
                done.accept(BindResult.BOUND);
            }
        };
        Executor preBindExecutor = r -> {
            calls.add("executor");
            r.run();
        };
        var config = new QshardConfigLoader(registry)
                .parse("tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, Gate]}]", "t");
        FrameworkCycle c = new FrameworkCycle(
                Profile.build(config.tier("prod"), registry, PluginContext.defaults()),
                NodesToScore.adaptive(),
                0,
                new RuntimeSteps(List.of(), List.of(), binder, preBindExecutor));
        List<BindResult> results = new ArrayList<>();
        c.bind((CycleOutcome.Reserved) c.schedule(one, pod, 1), results::add);
        assertThat(results).containsExactly(BindResult.BOUND);
        assertThat(calls).isEqualTo(hop ? List.of("executor", "preBind", "bind") : List.of("bind"));
    }
}
