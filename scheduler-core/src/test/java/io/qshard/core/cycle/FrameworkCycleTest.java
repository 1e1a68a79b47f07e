package io.qshard.core.cycle;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.PermitPlugin;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.PostBindPlugin;
import io.qshard.core.framework.PostFilterPlugin;
import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.PreBindPlugin;
import io.qshard.core.framework.PreEnqueuePlugin;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cycle runs every extension point in kube-scheduler's order and undoes reservations on every failure path. Test
 * plugins record their calls in {@link #calls}; each can be told to refuse ({@link #refuse}).
 */
class FrameworkCycleTest {
    private static final List<String> calls = new ArrayList<>();
    private static String refuse = "";

    private final ClusterSnapshot two = ClusterSnapshot.empty()
            .with(node("n1", 8000, 32).state())
            .with(node("n2", 8000, 32).state());
    private final PodRequest pod = pod("p", "prod", 500, 1).build();
    private final AtomicReference<Consumer<BindResult>> pendingBind = new AtomicReference<>();
    /** The runtime's default binder: holds the callback until the test answers. */
    private final BindPlugin runtimeBinder = new Recorder("RuntimeBind") {
        @Override
        public void bind(CycleState state, PodRequest p, String nodeName, Consumer<BindResult> done) {
            calls.add("RuntimeBind.bind");
            pendingBind.set(done);
        }
    };

    @BeforeEach
    void reset() {
        calls.clear();
        refuse = "";
    }

    /** A plugin at every extension point after Score, named {@code name}; refuses where {@link #refuse} says. */
    static class Recorder
            implements PreEnqueuePlugin,
                    PostFilterPlugin,
                    ReservePlugin,
                    PermitPlugin,
                    PreBindPlugin,
                    BindPlugin,
                    PostBindPlugin {
        private final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        private Status step(String point) {
            calls.add(name + "." + point);
            return refuse.equals(name + "." + point) ? Status.unschedulable(name, point + " refused") : Status.SUCCESS;
        }

        @Override
        public Status preEnqueue(PodRequest p) {
            return step("preEnqueue");
        }

        @Override
        public PostFilterResult postFilter(
                CycleState state,
                PodRequest p,
                ClusterSnapshot snapshot,
                Diagnosis diagnosis,
                io.qshard.core.framework.FilterHandle filters) {
            return step("postFilter").isSuccess() ? PostFilterResult.nominate("n2") : PostFilterResult.NONE;
        }

        @Override
        public Status reserve(CycleState state, PodRequest p, String nodeName) {
            return step("reserve");
        }

        @Override
        public void unreserve(CycleState state, PodRequest p, String nodeName) {
            calls.add(name + ".unreserve");
        }

        @Override
        public Status permit(CycleState state, PodRequest p, String nodeName) {
            return step("permit");
        }

        @Override
        public Status preBind(CycleState state, PodRequest p, String nodeName) {
            return step("preBind");
        }

        @Override
        public void bind(CycleState state, PodRequest p, String nodeName, Consumer<BindResult> done) {
            done.accept(step("bind").isSuccess() ? BindResult.BOUND : BindResult.failed("bind refused"));
        }

        @Override
        public void postBind(CycleState state, PodRequest p, String nodeName) {
            calls.add(name + ".postBind");
        }
    }

    /** Reserve, Permit, PreBind and PostBind only (no Bind: the runtime's binder binds). */
    static final class Steps
            implements ReservePlugin, PermitPlugin, PreBindPlugin, PostBindPlugin, PostFilterPlugin, PreEnqueuePlugin {
        private final Recorder r = new Recorder("Steps");

        @Override
        public String name() {
            return "Steps";
        }

        @Override
        public Status preEnqueue(PodRequest p) {
            return r.preEnqueue(p);
        }

        @Override
        public PostFilterResult postFilter(
                CycleState s,
                PodRequest p,
                ClusterSnapshot snapshot,
                Diagnosis d,
                io.qshard.core.framework.FilterHandle filters) {
            return r.postFilter(s, p, snapshot, d, filters);
        }

        @Override
        public Status reserve(CycleState s, PodRequest p, String n) {
            return r.reserve(s, p, n);
        }

        @Override
        public void unreserve(CycleState s, PodRequest p, String n) {
            r.unreserve(s, p, n);
        }

        @Override
        public Status permit(CycleState s, PodRequest p, String n) {
            return r.permit(s, p, n);
        }

        @Override
        public Status preBind(CycleState s, PodRequest p, String n) {
            return r.preBind(s, p, n);
        }

        @Override
        public void postBind(CycleState s, PodRequest p, String n) {
            r.postBind(s, p, n);
        }
    }

    /** A prod profile of NodeUnschedulable, TierResourceFit, LeastAllocated and {@code extraPlugins} (", A, B"). */
    private static FrameworkCycle cycleWith(PluginRegistry registry, String extraPlugins, RuntimeSteps runtime) {
        var config = new QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated"
                                + extraPlugins + "]}]",
                        "t");
        return new FrameworkCycle(
                Profile.build(config.tier("prod"), registry, PluginContext.defaults()),
                NodesToScore.adaptive(),
                0,
                runtime);
    }

    private FrameworkCycle cycle(String extraPlugins) {
        PluginRegistry registry = ShippedPlugins.registry()
                .register("Steps", ctx -> new Steps())
                .register("OwnBind", ctx -> new Recorder("OwnBind"))
                .register("OtherBind", ctx -> new Recorder("OtherBind"));
        RuntimeSteps runtime = new RuntimeSteps(
                List.of(new Recorder("Cache")), List.of(new Recorder("Lease")), runtimeBinder, Runnable::run);
        return cycleWith(registry, extraPlugins, runtime);
    }

    @Test
    void aPodMeetsEveryExtensionPointInOrder() {
        FrameworkCycle c = cycle(", Steps");
        assertThat(c.preEnqueue(pod).isSuccess()).isTrue();
        CycleOutcome.Reserved r = (CycleOutcome.Reserved) c.schedule(two, pod, 1);
        List<BindResult> results = new ArrayList<>();
        c.bind(r, results::add);
        pendingBind.get().accept(BindResult.BOUND);
        // the runtime's cache reserves first, its lease permit runs last; PostBind only after a written binding
        assertThat(calls)
                .containsExactly(
                        "Steps.preEnqueue",
                        "Cache.reserve",
                        "Steps.reserve",
                        "Steps.permit",
                        "Lease.permit",
                        "Steps.preBind",
                        "RuntimeBind.bind",
                        "Steps.postBind");
        assertThat(results).containsExactly(BindResult.BOUND);
    }

    @Test
    void aRefusedReservationUnreservesEveryReserverInReverseOrder() {
        FrameworkCycle c = cycle(", Steps");
        refuse = "Steps.reserve";
        CycleOutcome o = c.schedule(two, pod, 1);
        assertThat(o).isInstanceOf(CycleOutcome.Rejected.class);
        assertThat(((CycleOutcome.Rejected) o).status().plugin()).isEqualTo("Steps");
        assertThat(calls).containsExactly("Cache.reserve", "Steps.reserve", "Steps.unreserve", "Cache.unreserve");
    }

    @Test
    void aRuntimePermitThatRefusesUnreservesAll() {
        FrameworkCycle c = cycle(", Steps");
        refuse = "Lease.permit"; // e.g. the instance lost its Lease while deciding
        assertThat(c.schedule(two, pod, 1)).isInstanceOf(CycleOutcome.Rejected.class);
        assertThat(calls).endsWith("Lease.permit", "Steps.unreserve", "Cache.unreserve");
    }

    @Test
    void aFailedPreBindFailsTheBindingWithoutCallingTheBinderAndUnreserveIsTheRuntimesCall() {
        FrameworkCycle c = cycle(", Steps");
        refuse = "Steps.preBind";
        CycleOutcome.Reserved r = (CycleOutcome.Reserved) c.schedule(two, pod, 1);
        List<BindResult> results = new ArrayList<>();
        c.bind(r, results::add);
        assertThat(results).singleElement().extracting(BindResult::code).isEqualTo(BindResult.Code.FAILED);
        assertThat(calls).doesNotContain("RuntimeBind.bind", "Steps.postBind", "Cache.unreserve");
        c.unreserve(r);
        assertThat(calls).endsWith("Steps.unreserve", "Cache.unreserve");
    }

    @Test
    void aFailedBindingGetsNoPostBindAndDoneIsCalledOnce() {
        FrameworkCycle c = cycle(", Steps");
        CycleOutcome.Reserved r = (CycleOutcome.Reserved) c.schedule(two, pod, 1);
        List<BindResult> results = new ArrayList<>();
        c.bind(r, results::add);
        pendingBind.get().accept(BindResult.failed("HTTP 500"));
        pendingBind.get().accept(BindResult.BOUND); // a buggy binder answering twice
        assertThat(results).extracting(BindResult::code).containsExactly(BindResult.Code.FAILED);
        assertThat(calls).doesNotContain("Steps.postBind");
    }

    @Test
    void noNodeFitsThenPostFilterMayNominateOne() {
        FrameworkCycle c = cycle(", Steps");
        PodRequest huge = pod("huge", "prod", 64_000, 1).build();
        CycleOutcome o = c.schedule(two, huge, 1);
        assertThat(o).isInstanceOf(CycleOutcome.Unschedulable.class);
        CycleOutcome.Unschedulable u = (CycleOutcome.Unschedulable) o;
        assertThat(u.diagnosis().message()).contains("Insufficient cpu");
        assertThat(u.postFilter().nominatedNode()).isEqualTo("n2");
        assertThat(calls).containsExactly("Steps.postFilter"); // nothing was reserved

        calls.clear();
        refuse = "Steps.postFilter";
        assertThat(((CycleOutcome.Unschedulable) c.schedule(two, huge, 1)).postFilter())
                .isEqualTo(PostFilterResult.NONE);
    }

    @Test
    void aProfilesOwnBindPluginReplacesTheRuntimesAndAtMostOneIsAllowed() {
        FrameworkCycle c = cycle(", OwnBind");
        CycleOutcome.Reserved r = (CycleOutcome.Reserved) c.schedule(two, pod, 1);
        List<BindResult> results = new ArrayList<>();
        c.bind(r, results::add);
        assertThat(results).containsExactly(BindResult.BOUND);
        assertThat(calls).contains("OwnBind.bind").doesNotContain("RuntimeBind.bind");

        assertThatThrownBy(() -> cycle(", OwnBind, OtherBind")).hasMessageContaining("at most one Bind plugin");
    }

    @Test
    void aRefusingPreEnqueueNamesItsReason() {
        FrameworkCycle c = cycle(", Steps");
        assertThat(c.gatesPods()).isTrue();
        refuse = "Steps.preEnqueue";
        assertThat(c.preEnqueue(pod).message()).isEqualTo("preEnqueue refused");
        assertThat(cycle("").gatesPods()).isFalse();
    }

    @Test
    void aReserverThatThrowsLeavesNothingReservedAndTheBugPropagates() {
        RuntimeSteps runtime = new RuntimeSteps(
                List.of(new Recorder("Cache"), new Recorder("Boom") {
                    @Override
                    public Status reserve(CycleState state, PodRequest p, String nodeName) {
                        throw new IllegalStateException("plugin bug");
                    }
                }),
                List.of(),
                runtimeBinder,
                Runnable::run);
        FrameworkCycle c = cycleWith(ShippedPlugins.registry(), "", runtime);
        assertThatThrownBy(() -> c.schedule(two, pod, 1)).hasMessage("plugin bug");
        assertThat(calls).containsExactly("Cache.reserve", "Boom.unreserve", "Cache.unreserve");
    }

    /** A reserver whose unreserve always throws (a buggy plugin); as the profile's, it is unreserved before the cache. */
    private FrameworkCycle withBrokenUnreserve(BindPlugin binder) {
        RuntimeSteps runtime = new RuntimeSteps(
                List.of(new Recorder("Cache"), new Recorder("Broken") {
                    @Override
                    public void unreserve(CycleState state, PodRequest p, String nodeName) {
                        calls.add("Broken.unreserve");
                        throw new IllegalStateException("plugin bug");
                    }
                }),
                List.of(new Recorder("Lease")),
                binder,
                Runnable::run);
        return cycleWith(ShippedPlugins.registry(), "", runtime);
    }

    @Test
    void anUnreserveThatThrowsDoesNotKeepTheOthersFromUndoing() {
        FrameworkCycle c = withBrokenUnreserve(runtimeBinder);
        refuse = "Lease.permit";
        assertThat(c.schedule(two, pod, 1)).isInstanceOf(CycleOutcome.Rejected.class);
        assertThat(calls).endsWith("Broken.unreserve", "Cache.unreserve");
        assertThat(c.pluginErrors()).isEqualTo(1);

        calls.clear();
        refuse = "";
        CycleOutcome.Reserved r = (CycleOutcome.Reserved) c.schedule(two, pod, 1);
        c.unreserve(r); // after a failed binding
        assertThat(calls).endsWith("Broken.unreserve", "Cache.unreserve");
        assertThat(c.pluginErrors()).isEqualTo(2);
    }

    @Test
    void aPostBindThatThrowsComesAfterTheOutcomeWasDelivered() {
        PluginRegistry registry = ShippedPlugins.registry().register("BadPostBind", ctx -> new PostBindPlugin() {
            @Override
            public String name() {
                return "BadPostBind";
            }

            @Override
            public void postBind(CycleState state, PodRequest p, String nodeName) {
                throw new IllegalStateException("plugin bug");
            }
        });
        FrameworkCycle c = cycleWith(registry, ", BadPostBind", RuntimeSteps.binderOnly(runtimeBinder));
        CycleOutcome.Reserved r = (CycleOutcome.Reserved) c.schedule(two, pod, 1);
        List<BindResult> results = new ArrayList<>();
        c.bind(r, results::add);
        pendingBind.get().accept(BindResult.BOUND);
        assertThat(results).containsExactly(BindResult.BOUND);
        assertThat(c.pluginErrors()).isEqualTo(1);
    }

    @Test
    void aPreEnqueueThatThrowsHoldsThePodBack() {
        PluginRegistry registry = ShippedPlugins.registry().register("BadGate", ctx -> new PreEnqueuePlugin() {
            @Override
            public String name() {
                return "BadGate";
            }

            @Override
            public Status preEnqueue(PodRequest p) {
                throw new IllegalStateException("plugin bug");
            }
        });
        FrameworkCycle c = cycleWith(registry, ", BadGate", RuntimeSteps.binderOnly(runtimeBinder));
        Status s = c.preEnqueue(pod);
        assertThat(s.code()).isEqualTo(Status.Code.ERROR);
        assertThat(s.plugin()).isEqualTo("BadGate");
        assertThat(c.pluginErrors()).isEqualTo(1);
    }

    @Test
    void everyOutcomeCarriesTheDecisionsTimeWithoutReserveAndPermit() {
        FrameworkCycle c = cycle(", Steps");
        assertThat(c.schedule(two, pod, 1).decisionNanos()).isPositive();
        assertThat(c.schedule(two, pod("huge", "prod", 64_000, 1).build(), 1).decisionNanos())
                .isPositive();
    }
}
