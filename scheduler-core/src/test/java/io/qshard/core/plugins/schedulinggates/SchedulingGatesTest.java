package io.qshard.core.plugins.schedulinggates;

import static io.qshard.core.testing.Fixtures.T0;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.cycle.FrameworkCycle;
import io.qshard.core.cycle.RuntimeSteps;
import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.queue.BackoffPolicy;
import io.qshard.core.queue.QueuedPod;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SchedulingGatesTest {
    private static PodRequest gated(String uid, String... gates) {
        return pod(uid, "prod", 100, 1)
                .build()
                .withDetails(new PodDetails(-1, -1, List.of(), List.of(), List.of(), List.of(gates)));
    }

    @Test
    void aGatedPodIsRefusedWithKubeSchedulersStatus() {
        Status s = new SchedulingGates().preEnqueue(gated("g", "example.com/a", "b"));
        assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE); // kube's UnschedulableAndUnresolvable
        assertThat(s.plugin()).isEqualTo("SchedulingGates");
        assertThat(s.message()).isEqualTo("waiting for scheduling gates: [example.com/a b]");
    }

    @Test
    void aPodWithoutGatesPasses() {
        assertThat(new SchedulingGates().preEnqueue(pod("p", "prod", 100, 1).build()))
                .isSameAs(Status.SUCCESS);
        assertThat(new SchedulingGates().preEnqueue(gated("g", "a").withDetails(PodDetails.NONE)))
                .isSameAs(Status.SUCCESS);
    }

    /** Every default tier's profile gates, so the runtime hands the queue its PreEnqueue check. */
    @Test
    void everyDefaultTierGatesPods() {
        QshardConfig defaults = QshardConfig.defaults();
        for (String tier : List.of("prod", "mid", "batch", "free")) {
            FrameworkCycle cycle = defaultCycle(defaults, tier);
            assertThat(cycle.gatesPods()).as(tier).isTrue();
            assertThat(cycle.preEnqueue(gated("g", "a")).message())
                    .as(tier)
                    .isEqualTo("waiting for scheduling gates: [a]");
        }
    }

    /**
     * The queue as the runtime builds it (the default profile's check): a gated pod is never popped, cluster events
     * and an update that keeps a gate leave it held, and the update that removes the last gate queues it at once — no
     * backoff, no attempt counted, with the clock never moved.
     */
    @Test
    void aGatedPodIsQueuedTheMomentItsLastGateIsRemoved() {
        TestClock clock = new TestClock(T0);
        FrameworkCycle cycle = defaultCycle(QshardConfig.defaults(), "prod");
        SchedulingQueue q = new SchedulingQueue(
                clock, BackoffPolicy.defaults(), Duration.ofSeconds(60), cycle.gatesPods() ? cycle::preEnqueue : null);

        q.add(gated("g", "a", "b"));
        assertThat(q.pop()).isEmpty();
        assertThat(q.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0, 0, 1));
        q.onClusterEvent();
        q.update(gated("g", "b")); // one gate left
        assertThat(q.pop()).isEmpty();
        assertThat(q.sizes().gated()).isEqualTo(1);

        q.update(gated("g", "b").withDetails(PodDetails.NONE)); // the last gate removed
        QueuedPod popped = q.pop().orElseThrow();
        assertThat(popped.uid()).isEqualTo("g");
        assertThat(popped.attempts()).isZero();
        assertThat(popped.pod().details().gated()).isFalse();
        assertThat(q.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0, 1, 0));
    }

    private static FrameworkCycle defaultCycle(QshardConfig config, String tier) {
        RuntimeSteps runtime = RuntimeSteps.binderOnly(new BindPlugin() {
            @Override
            public String name() {
                return "NoBind";
            }

            @Override
            public void bind(CycleState state, PodRequest pod, String nodeName, Consumer<BindResult> done) {
                done.accept(BindResult.failed("not bound in this test"));
            }
        });
        return new FrameworkCycle(
                Profile.build(config.tier(tier), ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive(),
                0,
                runtime);
    }
}
