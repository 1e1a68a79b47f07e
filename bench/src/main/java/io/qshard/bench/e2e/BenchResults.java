package io.qshard.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Replaces a generated section of bench/RESULTS.md, delimited by {@code <!-- NAME:begin -->} / {@code <!-- NAME:end -->}. */
final class BenchResults {
    private BenchResults() {}

    /** Replaces the section's content with {@code body}, or appends the section when the file has none. */
    static void replaceSection(Path results, String name, String body) throws IOException {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + body + end;
        String text = Files.exists(results) ? Files.readString(results) : "";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        text = b >= 0 && e > b
                ? text.substring(0, b) + section + text.substring(e + end.length())
                : text + "\n" + section + "\n";
        Files.writeString(results, text);
    }
}
