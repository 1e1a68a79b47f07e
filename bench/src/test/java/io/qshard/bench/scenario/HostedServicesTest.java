package io.qshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.predict.backtest.Trace;
import io.qshard.simulator.PodUtilisation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostedServicesTest {
    private static final QshardConfig CONFIG = QshardConfig.defaults();
    private static final int NODES = 4;
    private static final long FLEET = NODES * 16_000L;

    @Test
    void buildSplitsEachTiersShareByWeightAndSetsTheRange() {
        List<HostedServices.Service> services = HostedServices.build(sizing(0.40, 0.15), CONFIG, FLEET, 7);
        assertThat(services).hasSize(3);
        assertThat(services.stream().filter(s -> s.template().poolRule() == PoolRule.BATCH_POOL))
                .hasSize(2);
        assertThat(services.stream().filter(s -> s.template().poolRule() == PoolRule.FREE_POOL))
                .hasSize(1);
        for (HostedServices.Service s : services) {
            long cpu = s.template().requests().batchMilliCpu();
            assertThat(cpu).isBetween(500L, 2_000L);
            assertThat(cpu % 100).isZero();
            assertThat(s.template().requests().batchMemoryBytes()).isEqualTo(cpu * (2L << 30) / 1000);
            assertThat(s.spec().min()).isEqualTo(Math.max(1, (int) Math.ceil(s.request() * 0.25)));
            assertThat(s.spec().max()).isEqualTo(2 * s.request());
        }
        // each tier's Σ request × cpu is its share, up to half a pod per service of rounding
        assertThat(requested(services, "batch")).isCloseTo(0.40 * FLEET, within(2 * 1_000.0));
        assertThat(requested(services, "free")).isCloseTo(0.15 * FLEET, within(1_000.0));
    }

    @Test
    void withHostingOffTheRequestIsKeptAndWhatDoesNotFitIsCountedPending() {
        ScenarioOptions o = options(squareWave());
        List<HostedServices.Service> services = HostedServices.build(sizing(0.40, 0.15), CONFIG, FLEET, 1);
        HostedServices off = new HostedServices(services, CONFIG, null, sizing(0.40, 0.15), 1);
        ScenarioResult r = new TraceScenario(o).with(off).run();

        assertThat(off.meanReplicas()).isEqualTo(off.requested());
        assertThat(r.replicaChanges()).isZero();
        assertThat(r.meanPendingPods()).isGreaterThan(0.5); // prod's peaks leave no room for all of them
        assertThat(r.meanBorrowingPods()).isCloseTo(off.requested(), within(1.0)); // a pod that ended is back
        long steps = o.measured().toMinutes();
        assertThat(r.pendingPodSeconds()).isCloseTo(r.meanPendingPods() * steps * 60, within(1e-6));
    }

    @Test
    void aFleetWithRoomHasNothingPending() {
        List<HostedServices.Service> services = HostedServices.build(sizing(0.05, 0.02), CONFIG, FLEET, 1);
        HostedServices off = new HostedServices(services, CONFIG, null, sizing(0.05, 0.02), 1);
        ScenarioResult r = new TraceScenario(options(constant(0.10))).with(off).run();

        assertThat(r.pendingPodSeconds()).isZero();
        assertThat(r.meanBorrowingPods()).isEqualTo(off.requested());
    }

    @Test
    void hostingShedsWhatDoesNotFitWithinTheRange() {
        ScenarioOptions o = options(squareWave());
        List<HostedServices.Service> services = HostedServices.build(sizing(0.40, 0.15), CONFIG, FLEET, 1);
        ScenarioResult off = new TraceScenario(o)
                .with(new HostedServices(services, CONFIG, null, sizing(0.40, 0.15), 1))
                .run();
        HostedServices on = new HostedServices(services, CONFIG, HostingSettings.defaults(), sizing(0.40, 0.15), 1);
        Map<WorkloadKey, int[]> seen = new HashMap<>(); // key → {lowest, highest}
        ScenarioResult r = new TraceScenario(o)
                .with(on)
                .with((s, now) -> on.replicas()
                        .forEach((k, n) -> seen.merge(k, new int[] {n, n}, (a, b) ->
                                new int[] {Math.min(a[0], n), Math.max(a[1], n)})))
                .run();

        assertThat(r.replicaChanges()).isPositive();
        assertThat(r.pendingPodSeconds()).isLessThan(off.pendingPodSeconds() / 2);
        for (HostedServices.Service s : services) {
            int[] range = seen.get(s.key());
            assertThat(range[0])
                    .as(s.key() + " lowest")
                    .isGreaterThanOrEqualTo(s.spec().min());
            assertThat(range[1])
                    .as(s.key() + " highest")
                    .isLessThanOrEqualTo(s.spec().max());
        }
        assertThat(seen.values().stream().anyMatch(range -> range[0] != range[1]))
                .as("some service moved")
                .isTrue();
    }

    private static double requested(List<HostedServices.Service> services, String tier) {
        return services.stream()
                .filter(s -> s.template().tier().equals(tier))
                .mapToDouble(s -> s.request() * s.template().requests().batchMilliCpu())
                .sum();
    }

    private static HostedServices.Settings sizing(double batch, double free) {
        return new HostedServices.Settings(2, 1, batch, free, 0.25, 2, 500, 2_000, 2L << 30, 1_800);
    }

    /** 4 nodes, 6 h warm-up + 12 h measured, isolation on, no job backlog. */
    private static ScenarioOptions options(Trace trace) {
        return HostingScenarioMain.withoutBacklog(UtilisationScenarioMain.defaults(
                        NODES,
                        List.of(trace),
                        CONFIG,
                        new PodUtilisation(0.8, 0.8, 1),
                        Duration.ofHours(6),
                        Duration.ofHours(12),
                        1))
                .withIsolation(true);
    }

    /** Prod load 10 % of the node for 3 h, then 55 % for 3 h, and so on. */
    private static Trace squareWave() {
        int n = 12 * 60;
        long[] time = new long[n];
        double[] cpu = new double[n];
        double[] memory = new double[n];
        for (int i = 0; i < n; i++) {
            time[i] = 60L * i;
            cpu[i] = (i / 180) % 2 == 0 ? 10 : 55;
            memory[i] = 40;
        }
        return new Trace("square", "square", time, cpu, memory);
    }

    private static Trace constant(double cpu) {
        return new Trace(
                "constant", "constant", new long[] {0, 60}, new double[] {cpu * 100, cpu * 100}, new double[] {40, 40});
    }
}
