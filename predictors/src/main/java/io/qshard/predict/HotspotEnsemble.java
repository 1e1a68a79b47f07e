package io.qshard.predict;

import io.qshard.predict.models.HotspotClassifier;
import io.qshard.predict.models.HotspotEstimator;
import io.qshard.predict.models.HotspotRules;
import io.qshard.predict.models.RecentMaxForecaster;
import io.qshard.predict.selection.HotspotSelector;
import java.nio.ByteBuffer;

/**
 * The hotspot side of a series predictor: its candidate estimators and the {@link HotspotSelector} that picks one
 * per series by rolling F1 of "probability ≥ {@code hotspotCut}" against "the window's peak crossed
 * {@code hotspotThreshold}".
 *
 * <p>Candidates: 0, the {@link HotspotClassifier} (current value × last horizon's maximum); 1, the
 * {@link HotspotEstimator} (any threshold, conditioned on the current value); 2–5, the four {@link HotspotRules};
 * then every model's residual-based probability, supplied by the caller. The persistence rule ("the last sample is
 * above the threshold") answers until another candidate beats its rolling F1 by {@value #SWITCH_MARGIN}: hotspots
 * are rare, and a candidate that was lucky on one of them must not take over a series. The classifier and the rules answer only
 * for the configured threshold and horizon; for other questions the conditional estimator stands in for them.
 *
 * <p>Each pending window carries {@link #RECORD_LENGTH} floats from {@link #open} to {@link #matured}. Not
 * thread-safe.
 */
public final class HotspotEnsemble {
    /** Floats this ensemble keeps in a pending window's record. */
    public static final int RECORD_LENGTH = 4;

    private static final int CLASSIFIER = 0;
    private static final int CONDITIONAL = 1;
    private static final int FIRST_RULE = 2;
    private static final int FIRST_MODEL = FIRST_RULE + HotspotRules.RULES;
    /** "The last sample is above the threshold": the answer until another candidate has proved better. */
    private static final int PERSISTENCE_RULE = FIRST_RULE + 2;
    /** F1 by which a candidate must beat the persistence rule to take over (one lucky window is not enough). */
    private static final double SWITCH_MARGIN = 0.05;

    /** A model's probability of crossing {@code threshold} within {@code horizon}; NaN while the model is cold. */
    public interface ModelProbability {
        /** @return the probability, or NaN */
        double of(int model, double threshold, long horizonSeconds);
    }

    private final PredictorConfig config;
    private final int models;
    private final ModelProbability modelProbability;
    private final HotspotClassifier classifier;
    private final HotspotRules rules;
    private final HotspotEstimator conditional;
    private final RecentMaxForecaster recentMax;
    private final HotspotSelector selector;
    private long lastTime = Long.MIN_VALUE;
    private double lastValue = Double.NaN;

    /**
     * @param config           threshold, cut, horizon and half-lives
     * @param models           number of models behind {@code modelProbability}
     * @param modelProbability the models' residual-based probabilities
     */
    public HotspotEnsemble(PredictorConfig config, int models, ModelProbability modelProbability) {
        this.config = config;
        this.models = models;
        this.modelProbability = modelProbability;
        this.classifier = new HotspotClassifier(config.hotspotThreshold(), config.residualHalfLifeSeconds());
        this.rules = new HotspotRules(config.hotspotThreshold(), config.residualHalfLifeSeconds());
        this.conditional = new HotspotEstimator(config.residualHalfLifeSeconds(), config.minResiduals());
        this.recentMax = new RecentMaxForecaster(Math.max(8, config.horizonSeconds() / 8 * 8));
        this.selector = new HotspotSelector(
                FIRST_MODEL + models, config.scoreHalfLifeSeconds(), PERSISTENCE_RULE, SWITCH_MARGIN);
    }

    /** Feeds a valid sample (after the caller's validation). */
    public void observe(long timeSeconds, double value) {
        recentMax.observe(timeSeconds, value);
        lastTime = timeSeconds;
        lastValue = value;
    }

    /** Writes the window's features and every candidate's decision into {@code record[offset ..]}. */
    public void open(float[] record, int offset) {
        double horizonMax = recentMax.forecastPeak(lastTime, config.horizonSeconds());
        int decisions = 0;
        int valid = 0;
        for (int c = 0; c < FIRST_MODEL + models; c++) {
            double p = candidate(c, config.hotspotThreshold(), config.horizonSeconds(), horizonMax);
            if (!Double.isNaN(p)) {
                valid |= 1 << c;
                if (p >= config.hotspotCut()) {
                    decisions |= 1 << c;
                }
            }
        }
        record[offset] = (float) lastValue;
        record[offset + 1] = (float) horizonMax;
        record[offset + 2] = decisions; // exact: fewer than 2^24 candidates
        record[offset + 3] = valid;
    }

    /** Learns from a matured window whose record was written by {@link #open}. */
    public void matured(long start, float[] record, int offset, double actualMax) {
        double last = record[offset];
        double horizonMax = record[offset + 1];
        selector.record(
                start, (int) record[offset + 2], (int) record[offset + 3], actualMax > config.hotspotThreshold());
        classifier.record(start, last, horizonMax, actualMax);
        rules.record(start, last, horizonMax, actualMax);
        conditional.record(start, last, actualMax);
    }

    /** @return the selected candidate's probability; NaN when no candidate can answer yet */
    public double probability(double threshold, long horizonSeconds) {
        double horizonMax = recentMax.forecastPeak(lastTime, horizonSeconds);
        int c = selector.best();
        double p = c >= 0 ? candidate(c, threshold, horizonSeconds, horizonMax) : Double.NaN;
        return Double.isNaN(p) ? conditional.probability(lastValue, threshold) : p;
    }

    /** @return the name of the selected candidate */
    public String selected() {
        int c = selector.best();
        return c == CLASSIFIER
                ? "classifier"
                : c < 0 || c == CONDITIONAL
                        ? "conditional"
                        : c < FIRST_MODEL ? "rule-" + (c - FIRST_RULE) : "model-" + (c - FIRST_MODEL);
    }

    private double candidate(int c, double threshold, long horizonSeconds, double horizonMax) {
        boolean ownQuestion = threshold == config.hotspotThreshold() && horizonSeconds == config.horizonSeconds();
        if (c == CLASSIFIER) {
            return ownQuestion ? classifier.probability(lastValue, horizonMax) : Double.NaN;
        }
        if (c == CONDITIONAL) {
            return conditional.probability(lastValue, threshold);
        }
        if (c < FIRST_MODEL) {
            return ownQuestion ? rules.probability(c - FIRST_RULE, lastValue, horizonMax) : Double.NaN;
        }
        return modelProbability.of(c - FIRST_MODEL, threshold, horizonSeconds);
    }

    /** Writes the state. */
    public void save(ByteBuffer out) {
        out.putLong(lastTime).putDouble(lastValue);
        classifier.save(out);
        rules.save(out);
        conditional.save(out);
        recentMax.save(out);
        selector.save(out);
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        lastTime = in.getLong();
        lastValue = in.getDouble();
        classifier.restore(in);
        rules.restore(in);
        conditional.restore(in);
        recentMax.restore(in);
        selector.restore(in);
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return 16
                + classifier.checkpointBytes()
                + rules.checkpointBytes()
                + conditional.checkpointBytes()
                + recentMax.checkpointBytes()
                + selector.checkpointBytes();
    }
}
