package io.qshard.predict.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores per source and contender, rendered as a Markdown table or JSON, with the acceptance check: per source, the
 * selected model beats every baseline on hotspot F1 and on under-prediction rate, at no more over-provisioning than
 * the p95-24h baseline.
 *
 * @param options     what was measured
 * @param contenders  contender names in report order
 * @param bySource    source → contender → score (with an {@value #OVERALL} source)
 * @param selections  source → model the selected predictor ended on → number of series
 * @param traces      number of traces
 */
public record BacktestResult(
        BacktestOptions options,
        List<String> contenders,
        Map<String, Map<String, Score>> bySource,
        Map<String, Map<String, Integer>> selections,
        int traces) {
    /** The pseudo-source pooling every trace. */
    public static final String OVERALL = "overall";
    /** The baselines the selected model must beat. */
    public static final List<String> BASELINES = List.of("last-value", "max-1h", "p95-24h");

    /** @return per source, the failed acceptance conditions (an empty list means the source passes) */
    public Map<String, List<String>> acceptance() {
        Map<String, List<String>> result = new java.util.TreeMap<>();
        bySource.forEach((source, scores) -> {
            List<String> failures = new ArrayList<>();
            Score selected = scores.get(Backtest.SELECTED);
            for (String baseline : BASELINES) {
                Score b = scores.get(baseline);
                if (!(selected.f1() > b.f1()) && !(Double.isNaN(b.f1()) && Double.isNaN(selected.f1()))) {
                    failures.add(
                            String.format(Locale.ROOT, "F1 %.3f not above %s's %.3f", selected.f1(), baseline, b.f1()));
                }
                if (!(selected.underPredictionRate() < b.underPredictionRate())) {
                    failures.add(String.format(
                            Locale.ROOT,
                            "under-prediction %.1f%% not below %s's %.1f%%",
                            100 * selected.underPredictionRate(),
                            baseline,
                            100 * b.underPredictionRate()));
                }
            }
            Score p95 = scores.get("p95-24h");
            if (selected.overProvisioning() > p95.overProvisioning()) {
                failures.add(String.format(
                        Locale.ROOT,
                        "over-provisioning %.2f above p95-24h's %.2f",
                        selected.overProvisioning(),
                        p95.overProvisioning()));
            }
            result.put(source, failures);
        });
        return result;
    }

    /** @return one Markdown table per source, then the acceptance lines */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        bySource.forEach((source, scores) -> {
            Score any = scores.values().iterator().next();
            sb.append(String.format(
                    Locale.ROOT, "%n### %s (%d points, %d hot)%n%n", source, any.points(), any.hotPoints()));
            sb.append("| contender | peak MAE | under-prediction | over-provisioning (when above) | mean excess "
                    + "| hotspot precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String name : contenders) {
                Score s = scores.get(name);
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %.2f | %.1f%% | %.2f | %.2f | %s | %s | %s |%n",
                        Backtest.SELECTED.equals(name) ? "**selected**" : name,
                        s.mae(),
                        100 * s.underPredictionRate(),
                        s.overProvisioning(),
                        s.meanExcess(),
                        f(s.precision()),
                        f(s.recall()),
                        f(s.f1())));
            }
            sb.append("\nmodel in use at the end of each series: ")
                    .append(selections.get(source))
                    .append('\n');
        });
        sb.append("\nAcceptance (selected beats every baseline on F1 and under-prediction, over-provisioning "
                + "≤ p95-24h):\n\n");
        acceptance()
                .forEach((source, failures) -> sb.append("- ")
                        .append(source)
                        .append(": ")
                        .append(failures.isEmpty() ? "pass" : "FAIL — " + String.join("; ", failures))
                        .append('\n'));
        return sb.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** @return the result as JSON */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append(String.format(
                Locale.ROOT,
                "  \"horizonSeconds\": %d, \"threshold\": %s, \"quantile\": %s, "
                        + "\"hotspotCut\": %s, \"warmupSeconds\": %d, \"resource\": \"%s\", \"traces\": %d,%n",
                options.horizonSeconds(),
                options.threshold(),
                options.quantile(),
                options.predictorConfig().hotspotCut(),
                options.warmupSeconds(),
                options.resource().name().toLowerCase(Locale.ROOT),
                traces));
        sb.append("  \"sources\": {");
        String sourceSep = "\n";
        for (var entry : bySource.entrySet()) {
            sb.append(sourceSep).append("    \"").append(entry.getKey()).append("\": {");
            String sep = "\n";
            for (String name : contenders) {
                Score s = entry.getValue().get(name);
                sb.append(sep)
                        .append(String.format(
                                Locale.ROOT,
                                "      \"%s\": {\"points\": %d, \"hotPoints\": %d, "
                                        + "\"peakMae\": %s, \"underPredictionRate\": %s, \"overProvisioning\": %s, "
                                        + "\"meanExcess\": %s, \"precision\": %s, \"recall\": %s, \"f1\": %s}",
                                name,
                                s.points(),
                                s.hotPoints(),
                                j(s.mae()),
                                j(s.underPredictionRate()),
                                j(s.overProvisioning()),
                                j(s.meanExcess()),
                                j(s.precision()),
                                j(s.recall()),
                                j(s.f1())));
                sep = ",\n";
            }
            sb.append("\n    }");
            sourceSep = ",\n";
        }
        sb.append("\n  },\n  \"acceptance\": {");
        String sep = "\n";
        for (var entry : acceptance().entrySet()) {
            sb.append(sep)
                    .append("    \"")
                    .append(entry.getKey())
                    .append("\": ")
                    .append(entry.getValue().isEmpty() ? "\"pass\"" : "\"fail\"");
            sep = ",\n";
        }
        return sb.append("\n  }\n}\n").toString();
    }

    private static String j(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.6f", v);
    }
}
