package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.kube.process.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qshard predict backtest} end to end on small synthetic traces: report, JSON, predictions, bad input. */
class BacktestCommandTest {

    /** Three days of 5-minute samples of a daily cycle that peaks above 80 every afternoon. */
    private static void trace(Path file, String extraRows) throws Exception {
        StringBuilder sb = new StringBuilder("timestamp_s,cpu_pct,mem_pct\n");
        for (long t = 0; t < 3 * 86_400; t += 300) {
            double cpu = 55 + 35 * Math.sin(2 * Math.PI * t / 86_400.0);
            sb.append(t)
                    .append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", cpu))
                    .append(",40\n");
            if (t == 600) {
                sb.append(extraRows);
            }
        }
        Files.writeString(file, sb);
    }

    @Test
    void reportsJsonAndPredictionsAndSkipsMalformedRows(@TempDir Path dir) throws Exception {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        trace(traces.resolve("src-1.csv"), "abc,1,2\n700,-5,\n"); // lines 5 and 6, after t = 600
        trace(traces.resolve("src-2.csv"), "");
        Path json = dir.resolve("report.json");
        Path predictions = dir.resolve("predictions");
        CliRun.Result r = CliRun.run(
                "predict",
                "backtest",
                "--traces",
                traces.toString(),
                "--horizon",
                "30m",
                "--out",
                json.toString(),
                "--predictions-out",
                predictions.toString());
        assertThat(r.exit()).isZero();
        // malformed rows: reported with file and line, skipped; the rest of the file is used
        assertThat(r.errLines())
                .containsExactly(
                        "warning: " + traces.resolve("src-1.csv")
                                + ":5: timestamp_s 'abc' is not a number; row skipped",
                        "warning: " + traces.resolve("src-1.csv")
                                + ":6: cpu_pct -5 is not a finite value >= 0; row skipped");
        assertThat(r.out())
                .contains("2 traces with cpu data, 2 rows skipped, horizon 1800 s")
                .contains("### src (")
                .contains("| **selected** |")
                .contains("- src: ");
        assertThat(Files.readString(json))
                .contains("\"horizonSeconds\": 1800")
                .contains("\"src\": {")
                .contains("\"p95-24h\": {\"points\": ");
        List<String> rows = Files.readAllLines(predictions.resolve("src-2.csv"));
        assertThat(rows.get(0)).isEqualTo("timestamp_s,predicted_peak,hotspot_probability");
        assertThat(rows).hasSize(1 + 2 * 288); // every sample after the first 24 h
        assertThat(rows.get(1)).startsWith("86400,");
    }

    @Test
    void emptyFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("empty-1.csv"), "timestamp_s,cpu_pct,mem_pct\n");
        CliRun.Result r = CliRun.run("predict", "backtest", "--traces", dir.toString());
        assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("error: ")
                .contains(dir.resolve("empty-1.csv").toString())
                .contains("empty");
    }

    @Test
    void badFlagsAreUserErrors(@TempDir Path dir) {
        assertThat(CliRun.run(
                                "predict",
                                "backtest",
                                "--traces",
                                dir.resolve("none").toString())
                        .err())
                .contains("is not a directory");
        assertThat(CliRun.run("predict", "backtest", "--traces", dir.toString(), "--horizon", "soon")
                        .err())
                .contains("'soon' is not a duration");
        assertThat(CliRun.run("predict", "backtest", "--traces", dir.toString(), "--quantile", "1.5")
                        .err())
                .contains("error: --quantile must be in (0, 1), was 1.5");
    }
}
