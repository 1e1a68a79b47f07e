package io.qshard.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.predict.models.DecayingHistogramForecaster;
import io.qshard.predict.models.HoltForecaster;
import io.qshard.predict.models.PeakForecaster;
import io.qshard.predict.models.RecentMaxForecaster;
import io.qshard.predict.models.SeasonalForecaster;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model, bounded by its residuals, on every synthetic series whose peaks are known: over days 2–4 (sampled
 * every 5 minutes, 30-minute horizon, quantile 0.85) at most 20 % of windows may peak more than 0.5 above the
 * prediction (calibration, with the residual buckets' resolution), and the mean excess of the prediction over the
 * actual peak must stay under the series' cap (tightness). The caps are what the least suited model needs: the
 * decaying histogram, which ignores time of day, on the daily sine.
 */
class ModelsOnSyntheticSeriesTest {
    private static final long STEP = 300;
    private static final long H = 1800;
    private static final long END = 4 * Series.DAY;

    /** A series and the cap on the mean excess, in units. */
    private record Synthetic(String name, LongToDoubleFunction f, double maxExcess, boolean gaps) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<Synthetic> series() {
        return List.of(
                new Synthetic("constant", t -> 40, 1, false),
                // 5 → 95 over 4 days: + 0.47 per window; a lagging model's residual is constant, so small excess
                new Synthetic("linear ramp", t -> 5 + 90.0 * t / END, 6, false),
                // 50 ± 30 daily: the histogram's p95 sits near the top all day (excess up to the amplitude)
                new Synthetic("pure daily sine", Series.dailySine(50, 30), 45, false),
                new Synthetic("sine + noise", noisy(Series.dailySine(40, 20), 4, 3), 35, false),
                // 20, then 70 from day 2.5 on: the step costs a few windows, not the calibration
                new Synthetic("step change", t -> t < 2.5 * Series.DAY ? 20 : 70, 15, false),
                // the noisy sine with a 6-hour hole every day from 00:00 to 06:00
                new Synthetic("gaps", noisy(Series.dailySine(40, 20), 4, 5), 35, true));
    }

    /**
     * {@code base} plus Gaussian noise that is a function of the time alone, so the peak a window is judged against is
     * the one the predictor later observes (a shared {@code Random} would draw new noise at every call).
     */
    private static LongToDoubleFunction noisy(LongToDoubleFunction base, double sd, long seed) {
        return t -> Math.max(0, base.applyAsDouble(t) + sd * new SplittableRandom(seed * 1_000_003 + t).nextGaussian());
    }

    private static List<Supplier<PeakForecaster>> models() {
        return List.of(
                HoltForecaster::new,
                SeasonalForecaster::new,
                DecayingHistogramForecaster::new,
                RecentMaxForecaster::new);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Supplier<PeakForecaster> m : models()) {
            for (Synthetic s : series()) {
                cases.add(Arguments.of(m.get().name(), m, s));
            }
        }
        return cases.stream();
    }

    private static boolean present(Synthetic s, long t) {
        return !s.gaps() || t % Series.DAY >= 6 * 3600;
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("cases")
    void calibratedAndTight(String name, Supplier<PeakForecaster> model, Synthetic s) {
        SeriesPredictor p = SeriesPredictor.single(PredictorConfig.defaults(), model.get());
        int points = 0;
        int misses = 0;
        double excess = 0;
        for (long t = 0; t <= END - H; t += STEP) {
            if (!present(s, t)) {
                continue;
            }
            p.observe(t, s.f().applyAsDouble(t));
            double actual = Double.NEGATIVE_INFINITY;
            for (long u = t + STEP; u <= t + H; u += STEP) {
                if (present(s, u)) {
                    actual = Math.max(actual, s.f().applyAsDouble(u));
                }
            }
            if (t < Series.DAY || actual == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double predicted = p.predictPeak(H, 0.85);
            points++;
            if (actual > predicted + 0.5) {
                misses++;
            }
            excess += Math.max(0, predicted - actual);
        }
        assertThat(points).as("windows judged").isGreaterThan(500);
        assertThat((double) misses / points).as("miss rate").isLessThanOrEqualTo(0.2);
        assertThat(excess / points).as("mean excess").isLessThanOrEqualTo(s.maxExcess());
    }

    /**
     * A checkpoint after two days, restored into a fresh predictor, is the same predictor: the same bytes at once,
     * and the same state, predictions and hotspot probabilities at every sample of the third day as the original that
     * never stopped.
     */
    @ParameterizedTest(name = "{0} checkpoint round trip on {2}")
    @MethodSource("cases")
    void checkpointRoundTrip(String name, Supplier<PeakForecaster> model, Synthetic s) {
        SeriesPredictor original = SeriesPredictor.single(PredictorConfig.defaults(), model.get());
        long t = 0;
        for (; t <= 2 * Series.DAY; t += STEP) {
            if (present(s, t)) {
                original.observe(t, s.f().applyAsDouble(t));
            }
        }
        assertThat(original.selectedModelName()).as("warm after two days").isEqualTo(name);
        byte[] saved = original.checkpoint();
        SeriesPredictor restored = SeriesPredictor.single(PredictorConfig.defaults(), model.get());
        restored.restore(saved);
        assertThat(restored.checkpoint())
                .as("checkpoint of the restored predictor")
                .isEqualTo(saved);
        int compared = 0;
        for (; t <= 3 * Series.DAY; t += STEP) {
            if (!present(s, t)) {
                continue;
            }
            double v = s.f().applyAsDouble(t);
            original.observe(t, v);
            restored.observe(t, v);
            double peak = original.predictPeak(H, 0.85);
            assertThat(peak).as("prediction at %d s", t).isFinite();
            assertThat(restored.predictPeak(H, 0.85))
                    .as("restored prediction at %d s", t)
                    .isEqualTo(peak);
            assertThat(restored.hotspotProbability(50, H))
                    .as("restored hotspot probability at %d s", t)
                    .isEqualTo(original.hotspotProbability(50, H));
            compared++;
        }
        assertThat(compared).as("samples compared").isEqualTo(s.gaps() ? 216 : 288);
        assertThat(restored.checkpoint()).isEqualTo(original.checkpoint());
    }
}
