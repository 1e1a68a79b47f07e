package io.qshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The synthetic prod load: deterministic, fractions in [0, 1], a daily swing with nodes that differ, memory smoother
 * than cpu, and a plausible share of hot node-time — some nodes above 90 % for several of the demo's reports.
 */
class SyntheticLoadTest {
    private static final int NODES = 200;
    private static final double STEP = 300; // 5 trace minutes, the real traces' usual interval
    private static final double TWO_DAYS = 2 * 86_400;
    private static final double DEMO_REPORT = 5 * 300; // one demo report (5 s) at the demo's 300×, in trace seconds
    private static final double HOT = 0.9;

    private static final SyntheticLoad LOAD = new SyntheticLoad(1, 1); // elapsed seconds = trace seconds

    private static String node(int i) {
        return String.format("demo-node-%03d", i);
    }

    @Test
    void theSameSeedAndNodeGiveTheSameLoadWhateverTheIndex() {
        SyntheticLoad again = new SyntheticLoad(1, 1);
        SyntheticLoad other = new SyntheticLoad(2, 1);
        int differs = 0;
        for (double t = 0; t < TWO_DAYS; t += 3_637) {
            assertThat(again.cpu("n1", 7, t)).isEqualTo(LOAD.cpu("n1", 0, t));
            assertThat(again.memory("n1", 7, t)).isEqualTo(LOAD.memory("n1", 0, t));
            differs += other.cpu("n1", 0, t) != LOAD.cpu("n1", 0, t) ? 1 : 0;
        }
        assertThat(differs).as("another seed, another load").isGreaterThan(40);
    }

    @Test
    void theSpeedUpScalesTimeAndBadOnesAreRefused() {
        SyntheticLoad fast = new SyntheticLoad(1, 300);
        for (double s = 0; s < 300; s += 7) {
            assertThat(fast.cpu("n1", 0, s)).isEqualTo(LOAD.cpu("n1", 0, s * 300));
            assertThat(fast.memory("n1", 0, s)).isEqualTo(LOAD.memory("n1", 0, s * 300));
        }
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new SyntheticLoad(1, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("speed-up");
        }
    }

    @Test
    void valuesAreFractionsOfCapacity() {
        for (int i = 0; i < NODES; i++) {
            for (double t = 0; t < TWO_DAYS; t += STEP) {
                assertThat(LOAD.cpu(node(i), i, t)).isBetween(0.0, 1.0);
                assertThat(LOAD.memory(node(i), i, t)).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void theClusterSwingsByDayAndItsNodesDiffer() {
        double[] byHour = new double[48]; // cluster mean cpu per trace hour over two days
        double[] nodeMean = new double[NODES];
        int perHour = (int) (3_600 / STEP);
        for (int i = 0; i < NODES; i++) {
            for (double t = 0; t < TWO_DAYS; t += STEP) {
                double c = LOAD.cpu(node(i), i, t);
                byHour[(int) (t / 3_600)] += c / (NODES * perHour);
                nodeMean[i] += c / (TWO_DAYS / STEP);
            }
        }
        // trace time 0 is 04:30: 13:00–16:00 is hours 8.5–11.5 of each day, 01:00–04:00 hours 20.5–23.5
        for (int d = 0; d < 2; d++) {
            double afternoon = mean(byHour, 24 * d + 9, 24 * d + 11);
            double night = mean(byHour, 24 * d + 21, 24 * d + 23);
            assertThat(afternoon - night)
                    .as("day %d: afternoon %.3f, night %.3f", d, afternoon, night)
                    .isGreaterThan(0.1);
        }
        for (int h = 0; h < 24; h++) { // the same day twice, up to noise and spikes
            assertThat(Math.abs(byHour[h] - byHour[h + 24])).as("hour %d", h).isLessThan(0.05);
        }
        double lo = Double.MAX_VALUE;
        double hi = 0;
        double all = 0;
        for (double m : nodeMean) {
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
            all += m / NODES;
        }
        assertThat(hi - lo).as("per-node means %.3f..%.3f", lo, hi).isGreaterThan(0.1);
        assertThat(all)
                .as("mean cpu: clusters at ~80 %% allocation use under a quarter")
                .isBetween(0.15, 0.3);
        assertThat(LOAD.cpu(node(0), 0, 3_600)).isNotEqualTo(LOAD.cpu(node(1), 1, 3_600));
    }

    @Test
    void memoryFollowsTheDaySmootherThanCpu() {
        double cpuSteps = 0;
        double memorySteps = 0;
        double memoryAfternoon = 0;
        double memoryNight = 0;
        for (int i = 0; i < NODES; i++) {
            for (double t = DEMO_REPORT; t < TWO_DAYS; t += DEMO_REPORT) {
                cpuSteps += Math.abs(LOAD.cpu(node(i), i, t) - LOAD.cpu(node(i), i, t - DEMO_REPORT));
                memorySteps += Math.abs(LOAD.memory(node(i), i, t) - LOAD.memory(node(i), i, t - DEMO_REPORT));
            }
            memoryAfternoon += LOAD.memory(node(i), i, 10 * 3_600); // 14:30
            memoryNight += LOAD.memory(node(i), i, 22 * 3_600); // 02:30
        }
        assertThat(memorySteps)
                .as("cpu moves %.1f, memory %.1f", cpuSteps, memorySteps)
                .isLessThan(cpuSteps / 2);
        assertThat(memoryAfternoon).isGreaterThan(memoryNight);
    }

    @Test
    void someNodesRunHotForAWhile() {
        long samples = 0;
        long hot = 0;
        long hotInLongStretches = 0; // in stretches of at least three demo reports (the hot-node rule's count)
        int nodesHotInADemo = 0; // above 90 % at least once in the demo's ~20 trace hours
        for (int i = 0; i < NODES; i++) {
            int run = 0;
            boolean hotInDemo = false;
            for (double t = 0; t <= TWO_DAYS; t += STEP) {
                boolean isHot = t < TWO_DAYS && LOAD.cpu(node(i), i, t) > HOT;
                if (isHot) {
                    run++;
                    hotInDemo |= t < 20 * 3_600;
                } else {
                    hotInLongStretches += run * STEP >= 3 * DEMO_REPORT ? run : 0;
                    run = 0;
                }
                samples += t < TWO_DAYS ? 1 : 0;
                hot += isHot ? 1 : 0;
            }
            nodesHotInADemo += hotInDemo ? 1 : 0;
        }
        double share = (double) hot / samples;
        assertThat(share)
                .as("hot node-time (the real traces: 2.4 %% of samples)")
                .isBetween(0.005, 0.05);
        assertThat(nodesHotInADemo).as("nodes above 90 %% in 20 trace hours").isBetween(NODES / 10, NODES / 2);
        assertThat((double) hotInLongStretches / hot)
                .as("hot node-time in stretches of ≥ 3 demo reports")
                .isGreaterThan(0.4);
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i <= to; i++) {
            s += a[i];
        }
        return s / (to - from + 1);
    }
}
