package io.qshard.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.predict.models.BinnedMaxHistory;
import io.qshard.predict.models.DecayingHistogramForecaster;
import io.qshard.predict.models.HalvingCounts;
import io.qshard.predict.models.HoltForecaster;
import io.qshard.predict.models.PeakForecaster;
import io.qshard.predict.models.RecentMaxForecaster;
import io.qshard.predict.models.ResidualHistogram;
import io.qshard.predict.models.SeasonalForecaster;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Every predictor — the default ensemble and each model alone behind its residual bound — fed samples with any value
 * (NaN, ±∞, negatives, the largest doubles, values beyond a float) at times anywhere from 0 to {@link Long#MAX_VALUE}
 * (repeated times, gaps of centuries), under any valid settings: no exception, exactly the invalid and out-of-order
 * samples are ignored, and once one sample is in, {@code predictPeak} is a number ≥ 0 and {@code hotspotProbability}
 * one in [0, 1] for any horizon — and a checkpoint restores to the same answers.
 */
class PredictorsPropertyTest {
    private static final List<Function<PredictorConfig, SeriesPredictor>> PREDICTORS = List.of(
            SeriesPredictor::ensemble,
            c -> SeriesPredictor.single(c, new HoltForecaster()),
            c -> SeriesPredictor.single(c, new SeasonalForecaster()),
            c -> SeriesPredictor.single(c, new DecayingHistogramForecaster()),
            c -> SeriesPredictor.single(c, new RecentMaxForecaster()));

    record Sample(long gap, double value) {}

    @Property(tries = 300)
    void predictorsAnswerNumbersWhateverTheyAreFed(
            @ForAll("configs") PredictorConfig config,
            @ForAll("starts") long start,
            @ForAll("samples") List<Sample> samples,
            @ForAll("horizons") long horizon,
            @ForAll("thresholds") double threshold) {
        for (Function<PredictorConfig, SeriesPredictor> make : PREDICTORS) {
            SeriesPredictor p = make.apply(config);
            long t = start;
            long last = Long.MIN_VALUE;
            long ignored = 0;
            for (Sample s : samples) {
                t = t > Long.MAX_VALUE - s.gap() ? Long.MAX_VALUE : t + s.gap();
                p.observe(t, s.value());
                boolean valid = s.value() >= 0 && s.value() <= UsagePredictor.MAX_VALUE && t > last;
                if (valid) {
                    last = t;
                } else {
                    ignored++;
                }
                assertThat(p.ignoredSamples()).isEqualTo(ignored);
            }
            for (long h : new long[] {config.horizonSeconds(), horizon, 1, Long.MAX_VALUE}) {
                double peak = p.predictPeak(h, 0.95);
                double probability = p.hotspotProbability(threshold, h);
                double own = p.hotspotProbability(config.hotspotThreshold(), h);
                p.predictsHotspot(threshold, h);
                if (last == Long.MIN_VALUE) {
                    assertThat(peak).isNaN();
                    assertThat(probability).isNaN();
                } else {
                    assertThat(peak)
                            .as("%s peak over %d s", p.selectedModelName(), h)
                            .isNotNaN()
                            .isNotNegative();
                    assertThat(probability)
                            .as("P(> %s) over %d s", threshold, h)
                            .isBetween(0.0, 1.0);
                    assertThat(own).as("P(> own threshold) over %d s", h).isBetween(0.0, 1.0);
                }
            }
            SeriesPredictor restored = make.apply(config);
            restored.restore(p.checkpoint());
            assertThat(Double.compare(restored.predictPeak(horizon, 0.85), p.predictPeak(horizon, 0.85)))
                    .as("restored peak")
                    .isZero();
            assertThat(Double.compare(
                            restored.hotspotProbability(threshold, horizon), p.hotspotProbability(threshold, horizon)))
                    .as("restored probability")
                    .isZero();
        }
    }

    @Property(tries = 200)
    void questionsOutOfRangeAreRefusedNamingWhat(@ForAll long horizon, @ForAll("anyDouble") double quantile) {
        SeriesPredictor p = SeriesPredictor.ensemble(PredictorConfig.defaults());
        p.observe(0, 10);
        if (horizon <= 0) {
            assertThatThrownBy(() -> p.predictPeak(horizon, 0.5)).hasMessageContaining("horizon");
            assertThatThrownBy(() -> p.hotspotProbability(80, horizon)).hasMessageContaining("horizon");
        }
        if (!(quantile > 0 && quantile < 1)) {
            assertThatThrownBy(() -> p.predictPeak(60, quantile))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("quantile");
        }
    }

    /** The models alone, fed what the predictor lets through: values in [0, 10^9], strictly increasing times. */
    @Property(tries = 300)
    void everyModelForecastsANumberAtLeastZeroOnceFed(
            @ForAll("models") PeakForecaster model,
            @ForAll("starts") long start,
            @ForAll("validSamples") List<Sample> samples,
            @ForAll("horizons") long horizon) {
        long t = start;
        long last = Long.MIN_VALUE;
        for (Sample s : samples) {
            t = t > Long.MAX_VALUE - Math.max(1, s.gap()) ? Long.MAX_VALUE : t + Math.max(1, s.gap());
            if (t > last) { // the contract: strictly increasing times
                model.observe(t, s.value());
                last = t;
            }
            double f = model.forecastPeak(last, horizon);
            assertThat(f)
                    .as("%s forecast over %d s", model.name(), horizon)
                    .isNotNaN()
                    .isNotNegative();
        }
    }

    @Example
    void aGapOfCenturiesEndsTheDecayInsteadOfLoopingForever() {
        // found by predictorsAnswerNumbersWhateverTheyAreFed: samples at 0 and 2^63 − 1 s made HalvingCounts' step
        // 2^(10^14) = ∞, and "while (step > MAX) { halve; step /= 2 }" never ended
        HalvingCounts counts = new HalvingCounts(4, 86_400);
        counts.add(0, 0);
        counts.add(Long.MAX_VALUE, 1);
        assertThat(counts.get(0)).isZero();
        assertThat(counts.get(1)).isPositive();
        SeriesPredictor p = SeriesPredictor.ensemble(PredictorConfig.defaults());
        p.observe(0, 50);
        p.observe(Long.MAX_VALUE, 60);
        assertThat(p.predictPeak(1800, 0.95)).isNotNaN().isNotNegative();
    }

    @Example
    void aMaximumOverAnyRangeVisitsOnlyTheRing() {
        // found by predictorsAnswerNumbersWhateverTheyAreFed: "for (b = from; b <= to; b++)" never ended for a bin at
        // Long.MAX_VALUE (a sample at 2^63 − 1 s, 1 s bins), and the seasonal model walked 6 × 10^14 bins for a
        // horizon of 2^60 s
        BinnedMaxHistory history = new BinnedMaxHistory(1, 8);
        history.add(Long.MAX_VALUE, 42);
        assertThat(history.max(Long.MAX_VALUE - 100, Long.MAX_VALUE)).isEqualTo(42);
        assertThat(history.max(0, Long.MAX_VALUE)).isEqualTo(42);
        SeasonalForecaster seasonal = new SeasonalForecaster();
        long t = 0;
        for (; t < 4 * 86_400; t += 1800) {
            seasonal.observe(t, 50 + 40 * Math.sin(2 * Math.PI * t / 86_400));
        }
        assertThat(seasonal.periodSeconds()).isEqualTo(86_400);
        assertThat(seasonal.forecastPeak(t - 1800, 1L << 60)).isBetween(0.0, 100.0);
        assertThat(seasonal.forecastPeak(t - 1800, Long.MAX_VALUE)).isBetween(0.0, 100.0);
    }

    @Example
    void aSampleBeyondTheFloatRangeIsIgnoredNotTurnedIntoAnInfiniteResidual() {
        // found by predictorsAnswerNumbersWhateverTheyAreFed: 3.5e38 became +∞ in the float pending windows, a
        // residual ∞ − ∞ = NaN was binary-searched past the last bucket: ArrayIndexOutOfBoundsException (index 72 of
        // 72) out of observe
        SeriesPredictor p = SeriesPredictor.ensemble(PredictorConfig.withHorizon(60));
        for (long t = 0; t < 600; t += 10) {
            p.observe(t, t % 20 == 0 ? 3.5e38 : 40);
        }
        assertThat(p.ignoredSamples()).isEqualTo(30);
        assertThat(p.predictPeak(60, 0.95)).isNotNaN().isNotNegative();
        ResidualHistogram residuals = new ResidualHistogram(86_400);
        residuals.add(0, Double.NaN);
        assertThat(residuals.count()).isZero();
        assertThat(residuals.cdf(Double.NaN)).isNaN();
    }

    @Provide
    Arbitrary<PredictorConfig> configs() {
        Arbitrary<Long> seconds = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(1, 7 * 86_400)),
                Tuple.of(1, Arbitraries.longs().between(1, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.of(1L, Long.MAX_VALUE)));
        return Combinators.combine(
                        seconds,
                        Arbitraries.doubles().between(0, false, 1, false),
                        seconds,
                        seconds,
                        Arbitraries.integers().between(1, 32),
                        Arbitraries.integers().between(1, 30),
                        thresholds(),
                        Arbitraries.doubles().between(0, false, 1, true))
                .as(PredictorConfig::new);
    }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Long> horizons() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, 86_400), Arbitraries.longs().between(1, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Double> thresholds() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e3, 1e3),
                Arbitraries.of(0.0, 80.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e30));
    }

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.doubles().withStandardSpecialValues().withSpecialValue(Double.MAX_VALUE);
    }

    @Provide
    Arbitrary<List<Sample>> samples() {
        return sampleList(Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.doubles().between(0, 120)),
                Tuple.of(2, anyDouble()),
                Tuple.of(1, Arbitraries.of(Double.MAX_VALUE, 3.5e38, 1e300, 1e18, Float.MAX_VALUE * 1.0))));
    }

    @Provide
    Arbitrary<List<Sample>> validSamples() {
        return sampleList(Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.doubles().between(0, 120)),
                Tuple.of(1, Arbitraries.doubles().between(0, UsagePredictor.MAX_VALUE)),
                Tuple.of(1, Arbitraries.of(UsagePredictor.MAX_VALUE, Double.MIN_VALUE, 0.0))));
    }

    private static Arbitrary<List<Sample>> sampleList(Arbitrary<Double> values) {
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(1, 900)),
                Tuple.of(1, Arbitraries.of(0L)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
        return Combinators.combine(gaps, values).as(Sample::new).list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<PeakForecaster> models() {
        return Arbitraries.of("holt", "seasonal", "histogram", "recent-max").map(name -> switch (name) {
            case "holt" -> new HoltForecaster();
            case "seasonal" -> new SeasonalForecaster();
            case "histogram" -> new DecayingHistogramForecaster();
            default -> new RecentMaxForecaster();
        });
    }
}
