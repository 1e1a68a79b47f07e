package io.qshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.predict.backtest.Trace;
import io.qshard.simulator.PodUtilisation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceScenarioTest {
    private static final QshardConfig CONFIG = QshardConfig.defaults();

    @Test
    void submittedPodsWaitUntilPlacedAndRemoveTakesThemBack() {
        TraceScenario s = new TraceScenario(options());
        s.submit(pod("a", "owner-x"), 600);
        s.submit(pod("b", "owner-x"), 600);
        assertThat(s.isPending("uid-a")).isTrue();
        assertThat(s.pendingPods()).extracting(PodRequest::uid).containsExactly("uid-a", "uid-b");
        assertThatThrownBy(() -> s.submit(pod("a", "owner-x"), 600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uid-a");

        assertThat(s.remove("uid-a")).isTrue();
        assertThat(s.isPending("uid-a")).isFalse();
        assertThat(s.isBound("uid-a")).isFalse();
        assertThat(s.pendingPods()).extracting(PodRequest::uid).containsExactly("uid-b");
        assertThat(s.remove("uid-a")).isFalse();
    }

    @Test
    void anEvictedPodIsReCreatedUnlessItsControllerDoesThat() {
        List<String> afterEviction = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        TraceScenario s = new TraceScenario(options()).controlledBy("owner-x");
        ScenarioResult r = s.with((scenario, now) -> {
                    long minute = Duration.between(TraceScenario.T0, now).toMinutes();
                    if (minute == 0) {
                        scenario.submit(pod("a", "owner-x"), 3_600);
                        scenario.submit(pod("b", "owner-y"), 3_600);
                    } else if (minute == 1) {
                        steps.add(scenario.isBound("uid-a") + "," + scenario.isBound("uid-b"));
                        scenario.evict("uid-a", now);
                        scenario.evict("uid-b", now);
                        scenario.pendingPods()
                                .forEach(p -> afterEviction.add(p.owner().name()));
                        steps.add(scenario.isPending("uid-a") + "," + scenario.isBound("uid-a"));
                    }
                })
                .run();

        assertThat(steps).containsExactly("true,true", "false,false");
        assertThat(afterEviction).containsExactly("owner-y"); // re-created with a new uid; owner-x's is not
        assertThat(r.evictions()).isEqualTo(2);
    }

    private static ScenarioOptions options() {
        Trace flat = new Trace("flat", "flat", new long[] {0, 60}, new double[] {10, 10}, new double[] {40, 40});
        return HostingScenarioMain.withoutBacklog(UtilisationScenarioMain.defaults(
                2, List.of(flat), CONFIG, new PodUtilisation(0.8, 0.8, 1), Duration.ZERO, Duration.ofMinutes(5), 1));
    }

    private static PodRequest pod(String name, String owner) {
        Tier batch = CONFIG.tier("batch");
        return new PodRequest(
                "uid-" + name,
                "scenario",
                name,
                batch.name(),
                batch.poolRule(),
                new Resources(0, 0, 1, 1_000, 2L << 30),
                Map.of(),
                null,
                List.of(),
                batch.priority(),
                Instant.EPOCH,
                new OwnerRef("ReplicaSet", owner, owner),
                null);
    }
}
