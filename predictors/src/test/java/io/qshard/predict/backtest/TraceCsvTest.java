package io.qshard.predict.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCsvTest {
    @TempDir
    Path dir;

    @Test
    void malformedRowsAreReportedWithFileAndLineAndSkipped() throws Exception {
        Path file = dir.resolve("azurev1-42.csv");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "timestamp_s,cpu_pct,mem_pct",
                        "0,10.5,",
                        "300,abc,", // 3: non-numeric
                        "600,-4,", // 4: negative
                        "900,NaN,", // 5: NaN
                        "600,12,", // 6: valid (the rows at 300 and 900 were skipped)
                        "500,13,", // 7: before 600
                        "1200,101.5,40",
                        "1500", // 9: one column
                        ""));
        List<String> warnings = new ArrayList<>();
        Trace trace = TraceCsv.read(file, warnings::add);
        assertThat(trace.name()).isEqualTo("azurev1-42");
        assertThat(trace.source()).isEqualTo("azurev1");
        assertThat(trace.time()).containsExactly(0, 600, 1200);
        assertThat(trace.cpu()).containsExactly(10.5, 12, 101.5);
        assertThat(trace.memory()[0]).isNaN();
        assertThat(trace.memory()[2]).isEqualTo(40);
        assertThat(warnings).hasSize(5);
        assertThat(warnings.get(0)).startsWith(file + ":3: cpu_pct 'abc' is not a number");
        assertThat(warnings.get(1)).startsWith(file + ":4: cpu_pct -4");
        assertThat(warnings.get(2)).startsWith(file + ":5: cpu_pct NaN");
        assertThat(warnings.get(3)).startsWith(file + ":7: timestamp 500 is not after the previous row's 600");
        assertThat(warnings.get(4)).startsWith(file + ":9: expected timestamp_s,cpu_pct[,mem_pct], found 1");
    }

    @Test
    void emptyFileIsAnErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("bitbrains_rnd-1.csv");
        Files.writeString(file, "timestamp_s,cpu_pct,mem_pct\n");
        assertThatThrownBy(() -> TraceCsv.read(file, w -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("empty");
    }

    @Test
    void headerIsOptional() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, "0,1,2\n60,3,4\n");
        assertThat(TraceCsv.read(file, w -> {}).size()).isEqualTo(2);
    }
}
