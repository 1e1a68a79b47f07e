package io.qshard.simulator;

import io.qshard.predict.backtest.Trace;
import io.qshard.predict.backtest.TraceCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a directory of {@code timestamp_s,cpu_pct,mem_pct} traces (every {@code *.csv}, in name order). */
public final class TraceDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(TraceDirectory.class);

    private TraceDirectory() {}

    /**
     * @param dir a directory holding at least one {@code *.csv} trace; malformed rows are logged with file and line
     *            and skipped
     * @throws IllegalArgumentException naming {@code --traces} when it is not a directory, cannot be read or holds no
     *                                  trace
     */
    public static List<Trace> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--traces " + dir + " is not a directory");
        }
        List<Trace> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                out.add(TraceCsv.read(f, w -> LOG.warn("{}", w)));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --traces " + dir + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--traces " + dir + " holds no *.csv file");
        }
        return out;
    }
}
