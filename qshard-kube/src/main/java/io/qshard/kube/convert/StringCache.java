package io.qshard.kube.convert;

import tools.jackson.core.JsonParser;

/**
 * Strings that repeat across pods (container images: every replica of a workload names the same one), read from the
 * parser's buffer through a small direct-mapped cache: a hit makes no String at all and shares the instance. A slot
 * is overwritten on a collision; races between threads only cost a miss (Strings are immutable, a reference write is
 * atomic). Thread-safe.
 */
final class StringCache {
    private final String[] slots;

    /** @param size slots, a power of two */
    StringCache(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two, was " + size);
        }
        this.slots = new String[size];
    }

    /** The string value the parser is on (a VALUE_STRING token). */
    String get(JsonParser p) {
        char[] c = p.getStringCharacters();
        int off = p.getStringOffset();
        int len = p.getStringLength();
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + c[off + i];
        }
        int at = (h ^ (h >>> 16)) & (slots.length - 1);
        String s = slots[at];
        if (s != null && equal(s, c, off, len)) {
            return s;
        }
        s = new String(c, off, len);
        slots[at] = s;
        return s;
    }

    /** Whether the parser's string value is {@code expected}, without making a String. */
    static boolean is(JsonParser p, String expected) {
        return equal(expected, p.getStringCharacters(), p.getStringOffset(), p.getStringLength());
    }

    private static boolean equal(String s, char[] c, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != c[off + i]) {
                return false;
            }
        }
        return true;
    }
}
