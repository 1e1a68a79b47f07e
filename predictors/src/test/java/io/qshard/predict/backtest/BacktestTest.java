package io.qshard.predict.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.predict.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {
    @TempDir
    Path dir;

    private static Trace sine(String name, long seed, double[] override, int overrideFrom) {
        int n = 3 * 288;
        long[] t = new long[n];
        double[] cpu = new double[n];
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            t[i] = i * 300L;
            cpu[i] = Math.max(0, 55 + 35 * Math.sin(2 * Math.PI * t[i] / Series.DAY) + 5 * random.nextGaussian());
            if (override != null && i >= overrideFrom) {
                cpu[i] = override[i];
            }
        }
        return new Trace(name, name.substring(0, name.indexOf('-')), t, cpu, new double[n]);
    }

    @Test
    void scoresEveryContenderPerSourceAndOverall() {
        BacktestResult r = Backtest.run(
                List.of(sine("a-1", 1, null, 0), sine("b-1", 2, null, 0)), BacktestOptions.of(1800, 80), null);
        assertThat(r.bySource()).containsOnlyKeys("a", "b", BacktestResult.OVERALL);
        assertThat(r.bySource().get("a")).containsOnlyKeys(r.contenders());
        // days 2 and 3 are scored (2 × 288 samples) except the last sample, whose window holds no sample
        assertThat(r.bySource().get("a").get(Backtest.SELECTED).points()).isEqualTo(2 * 288 - 1);
        assertThat(r.bySource().get(BacktestResult.OVERALL).get("p95-24h").points())
                .isEqualTo(2 * (2 * 288 - 1));
        assertThat(r.toMarkdown()).contains("| **selected** |");
        assertThat(r.toJson()).contains("\"selected\": {\"points\": " + (2 * (2 * 288 - 1)));
    }

    @Test
    void predictionsUseNoFutureSample() throws Exception {
        // two traces identical up to sample 600, different after it: predictions up to sample 600 must be equal
        Trace a = sine("s-1", 4, null, 0);
        double[] other = new double[a.size()];
        java.util.Arrays.fill(other, 99);
        Trace b = sine("s-2", 4, other, 601);
        Path out = Files.createDirectories(dir.resolve("predictions"));
        Backtest.run(List.of(a, b), BacktestOptions.of(1800, 80), out);
        List<String> pa = Files.readAllLines(out.resolve("s-1.csv"));
        List<String> pb = Files.readAllLines(out.resolve("s-2.csv"));
        assertThat(pa.get(0)).isEqualTo("timestamp_s,predicted_peak,hotspot_probability");
        // rows start after the 24 h warm-up (sample 288); sample 600 is row 600 − 288 + 1
        int lastShared = 600 - 288 + 1;
        assertThat(pa.subList(0, lastShared + 1)).isEqualTo(pb.subList(0, lastShared + 1));
        assertThat(pa.get(lastShared + 1)).isNotEqualTo(pb.get(lastShared + 1));
        assertThat(pa).hasSize(1 + a.size() - 288);
        assertThat(pa.get(1)).startsWith(String.valueOf(288 * 300L) + ",");
    }
}
