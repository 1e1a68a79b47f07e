package io.qshard.kube.informer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WatchLinesTest {
    private final List<String> seen = new ArrayList<>();
    private final WatchLines lines =
            new WatchLines((b, off, n) -> seen.add(new String(b, off, n, StandardCharsets.UTF_8)));

    @Test
    void linesCutAnywhereAcrossChunksComeOutWholeAndInOrder() {
        List<String> events = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String e = "{\"type\":\"MODIFIED\",\"object\":{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i * 97 % 20_000)
                    + "\"}}";
            events.add(e);
            stream.append(e).append('\n');
        }
        byte[] all = stream.toString().getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(7);
        for (int at = 0; at < all.length; ) {
            int n = Math.min(
                    all.length - at, 1 + random.nextInt(9000)); // cuts inside lines, at newlines, 1-byte chunks
            lines.feed(Arrays.copyOfRange(all, at, at + n));
            at += n;
        }
        assertThat(seen).containsExactlyElementsOf(events);
        assertThat(lines.pending()).isZero();
    }

    @Test
    void emptyLinesAreDroppedAndAnUnfinishedLineWaits() {
        lines.feed("\n\na\n\nb".getBytes(StandardCharsets.UTF_8));
        assertThat(seen).containsExactly("a");
        assertThat(lines.pending()).isEqualTo(1);
        lines.feed("c\n".getBytes(StandardCharsets.UTF_8));
        assertThat(seen).containsExactly("a", "bc");
    }
}
