package io.qshard.predict.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads {@code timestamp_s,cpu_pct,mem_pct} CSV files (header optional, {@code mem_pct} may be empty).
 *
 * <p>A malformed row — wrong column count, non-numeric, NaN, infinite or negative values, a timestamp not after the
 * previous row's — is reported as {@code file:line: reason} to the warning sink and skipped; the rest of the file is
 * kept. A file without a single valid row is an error naming the file. Values above 100 are kept as they are (the
 * traces have a few).
 */
public final class TraceCsv {
    private TraceCsv() {}

    /**
     * @param file     the CSV file
     * @param warnings receives one message per skipped row
     * @return the trace
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file holds no valid row
     */
    public static Trace read(Path file, Consumer<String> warnings) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        int dash = name.indexOf('-');
        String source = dash > 0 ? name.substring(0, dash) : name;
        long[] time = new long[1024];
        double[] cpu = new double[1024];
        double[] mem = new double[1024];
        int n = 0;
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank() || (lineNumber == 1 && line.startsWith("timestamp"))) {
                    continue;
                }
                String[] cols = line.split(",", -1);
                String problem;
                if (cols.length < 2 || cols.length > 3) {
                    problem = "expected timestamp_s,cpu_pct[,mem_pct], found " + cols.length + " column(s)";
                } else {
                    try {
                        long t = parseTime(cols[0]);
                        double c = parseValue(cols[1], "cpu_pct");
                        double m = cols.length == 3 && !cols[2].isBlank() ? parseValue(cols[2], "mem_pct") : Double.NaN;
                        if (n > 0 && t <= time[n - 1]) {
                            problem = "timestamp " + t + " is not after the previous row's " + time[n - 1];
                        } else {
                            if (n == time.length) {
                                time = Arrays.copyOf(time, n * 2);
                                cpu = Arrays.copyOf(cpu, n * 2);
                                mem = Arrays.copyOf(mem, n * 2);
                            }
                            time[n] = t;
                            cpu[n] = c;
                            mem[n] = m;
                            n++;
                            continue;
                        }
                    } catch (NumberFormatException e) {
                        problem = e.getMessage();
                    }
                }
                warnings.accept(file + ":" + lineNumber + ": " + problem + "; row skipped");
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(file + ": no valid timestamp_s,cpu_pct,mem_pct row (empty trace)");
        }
        return new Trace(name, source, Arrays.copyOf(time, n), Arrays.copyOf(cpu, n), Arrays.copyOf(mem, n));
    }

    private static long parseTime(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new NumberFormatException("timestamp_s '" + text.trim() + "' is not a number");
        }
    }

    private static double parseValue(String text, String column) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new NumberFormatException(column + " '" + text.trim() + "' is not a number");
        }
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
            throw new NumberFormatException(column + " " + text.trim() + " is not a finite value >= 0");
        }
        return v;
    }
}
