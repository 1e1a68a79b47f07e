package io.qshard.kube.informer;

import java.util.Arrays;

/**
 * Splits a watch stream — newline-delimited JSON events arriving in chunks cut anywhere — into whole lines.
 * A line inside one chunk is passed as a slice of that chunk (no copy); one spanning chunks is assembled in a
 * buffer that grows to the longest line seen. Empty lines are dropped. Not thread-safe: one feeding thread.
 */
final class WatchLines {
    /** Receives one complete line, {@code bytes[offset, offset + length)}, valid only during the call. */
    interface LineHandler {
        void line(byte[] bytes, int offset, int length);
    }

    private final LineHandler handler;
    private byte[] partial = new byte[8192];
    private int length;

    WatchLines(LineHandler handler) {
        this.handler = handler;
    }

    /** Consumes one chunk; every line it completes is handed to the handler, in order. */
    void feed(byte[] chunk) {
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] != '\n') {
                continue;
            }
            if (length == 0) {
                if (i > start) {
                    handler.line(chunk, start, i - start);
                }
            } else {
                append(chunk, start, i - start);
                handler.line(partial, 0, length);
                length = 0;
            }
            start = i + 1;
        }
        if (start < chunk.length) {
            append(chunk, start, chunk.length - start);
        }
    }

    /** Bytes of an incomplete last line held back. */
    int pending() {
        return length;
    }

    private void append(byte[] from, int offset, int n) {
        if (length + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, length + n));
        }
        System.arraycopy(from, offset, partial, length, n);
        length += n;
    }
}
