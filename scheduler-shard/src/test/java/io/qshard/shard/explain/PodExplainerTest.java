package io.qshard.shard.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code qshard explain} on a gated pod: says it is not queued and why, then the decision it would get. */
class PodExplainerTest {
    private final QshardConfig config = QshardConfig.defaults();
    private final Tier prod = config.tier(DefaultTiers.PROD);
    private final PodExplainer explainer = new PodExplainer(config, ShippedPlugins.registry(), Clock.systemUTC());

    @Test
    void aGatedPendingPodIsReportedHeldBackWithTheGateNames() {
        PodRequest gated = pod().withDetails(details(List.of("example.com/quota", "example.com/review")));

        PodExplainer.Result r = explainer.explain(prod, gated, cluster(), Optional.empty());

        assertThat(r.heldBack()).isNotNull();
        assertThat(r.heldBack().plugin()).isEqualTo("SchedulingGates");
        assertThat(r.heldBack().reasons())
                .containsExactly("waiting for scheduling gates: [example.com/quota example.com/review]");
        assertThat(r.explanation().feasible())
                .as("the decision it would get once released")
                .isTrue();
        StringWriter out = new StringWriter();
        ExplanationPrinter.print(r, null, 3, 3, new PrintWriter(out));
        assertThat(out.toString()).startsWith("not queued: SchedulingGates: waiting for scheduling gates");
    }

    @Test
    void anUngatedOrBoundPodIsNotHeldBack() {
        assertThat(explainer.explain(prod, pod(), cluster(), Optional.empty()).heldBack())
                .isNull();
        PodRequest boundGated = pod().withDetails(details(List.of("g"))).boundTo("n1");
        assertThat(explainer
                        .explain(prod, boundGated, cluster(), Optional.empty())
                        .heldBack())
                .as("a bound pod is past the queue")
                .isNull();
    }

    @Test
    void whatThePodAsksAndQshardIgnoresIsPrinted() {
        String ignored = "spec.resourceClaims: dynamic resource allocation is not scheduled by qshard";
        PodRequest pod =
                pod().withDetails(new PodDetails(-1, -1, List.of(), List.of(), List.of(), List.of(), List.of(ignored)));
        StringWriter out = new StringWriter();
        ExplanationPrinter.print(
                explainer.explain(prod, pod, cluster(), Optional.empty()), null, 3, 3, new PrintWriter(out));
        assertThat(out.toString()).startsWith("not scheduled by (ignored): " + ignored + "\n");
    }

    @Test
    void aPodNoNodeFitsIsShownItsNominationAndThePreemptionItWouldGet() {
        // n1 (4000m) holds a mid pod of 3950m (priority 7000); the prod pod (100m, 9000) fits only once it is gone
        ClusterState state = new ClusterState();
        state.upsertNode(Node.of("n1", Map.of(), List.of(), new Resources(4000, 8L << 30, 110, 0, 0), false));
        state.upsertPod(new PodRequest(
                "m1",
                "ns",
                "mid-0",
                DefaultTiers.MID,
                PoolRule.MID_POOL,
                new Resources(3950, 1 << 20, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                7000,
                Instant.EPOCH,
                null,
                "n1"));
        PodRequest nominated = pod().withDetails(pod().details().withPreemption(false, "n1"));

        PodExplainer.Result r = explainer.explain(prod, nominated, state.snapshot(), Optional.empty());

        assertThat(r.explanation().feasible()).isFalse();
        assertThat(r.preemption().nominatedNode()).isEqualTo("n1");
        StringWriter out = new StringWriter();
        ExplanationPrinter.print(r, null, 3, 3, new PrintWriter(out));
        assertThat(out.toString())
                .contains("nominated node (status.nominatedNodeName, room made by a preemption): n1\n")
                .contains("preemption would nominate n1 after removing 1 pod(s) (0 breaking a disruption budget):"
                        + " [ns/mid-0 (priority 7000, tier mid)]")
                .contains("the scheduler also applies its cross-tier caps");
    }

    private static PodDetails details(List<String> gates) {
        return new PodDetails(-1, -1, List.of(), List.of(), List.of(), gates);
    }

    private static PodRequest pod() {
        return new PodRequest(
                "u1",
                "ns",
                "p",
                DefaultTiers.PROD,
                PoolRule.ALLOCATABLE,
                new Resources(100, 1 << 20, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                9000,
                Instant.EPOCH,
                null,
                null);
    }

    private static io.qshard.core.snapshot.ClusterSnapshot cluster() {
        ClusterState state = new ClusterState();
        state.upsertNode(Node.of("n1", Map.of(), List.of(), new Resources(4000, 8L << 30, 110, 0, 0), false));
        return state.snapshot();
    }
}
