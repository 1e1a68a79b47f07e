package io.qshard.shard.scheduler;

import io.qshard.core.booking.Booking;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The text of a booking Lease's {@value #ANNOTATION} annotation: one booking per line,
 * {@code <pod uid> <epoch ms> <resource>=<amount>,…}, amounts in qshard's units (milli-cores for {@code cpu} and
 * {@code qshard.io/batch-cpu}, bytes for memory, a count for {@code pods}, the API's integer value for the others),
 * zero amounts left out. Readable with {@code kubectl get lease -o yaml}. Stateless and thread-safe.
 */
final class BookingCodec {
    /** The annotation that holds the bookings. */
    static final String ANNOTATION = "qshard.io/bookings";

    private BookingCodec() {}

    static String encode(List<Booking> bookings) {
        StringBuilder out = new StringBuilder(bookings.size() * 96);
        for (Booking b : bookings) {
            out.append(b.uid()).append(' ').append(b.atMillis()).append(' ');
            Resources r = b.requests();
            List<String> parts = new ArrayList<>(6);
            part(parts, ResourceNames.CPU, r.milliCpu());
            part(parts, ResourceNames.MEMORY, r.memoryBytes());
            part(parts, ResourceNames.PODS, r.pods());
            part(parts, ResourceNames.BATCH_CPU, r.batchMilliCpu());
            part(parts, ResourceNames.BATCH_MEMORY, r.batchMemoryBytes());
            ScalarResources s = r.scalars();
            for (int i = 0; i < s.size(); i++) {
                part(parts, s.name(i), s.amount(i));
            }
            out.append(String.join(",", parts)).append('\n');
        }
        return out.toString();
    }

    private static void part(List<String> parts, String name, long amount) {
        if (amount != 0) {
            parts.add(name + "=" + amount);
        }
    }

    /**
     * The bookings in {@code text} (null or blank: none). A line that does not parse is skipped and {@code bad} told
     * why (a hand edit; its booking no longer counts — the kubelet's admission stays the backstop for it).
     */
    static List<Booking> decode(String text, Consumer<String> bad) {
        List<Booking> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(line(line));
            } catch (IllegalArgumentException e) {
                bad.accept("line " + (i + 1) + " \"" + line + "\": " + e.getMessage());
            }
        }
        return out;
    }

    private static Booking line(String line) {
        String[] f = line.split(" ", -1);
        if (f.length != 3 || f[0].isEmpty()) {
            throw new IllegalArgumentException("want \"<uid> <epoch ms> <resource>=<amount>,…\"");
        }
        long at = number("epoch ms", f[1]);
        long[] fixed = new long[5];
        Map<String, Long> scalars = new LinkedHashMap<>();
        for (String part : f[2].isEmpty() ? new String[0] : f[2].split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("resource \"" + part + "\" is not <name>=<amount>");
            }
            String name = part.substring(0, eq);
            long amount = number(name, part.substring(eq + 1));
            switch (name) {
                case ResourceNames.CPU -> fixed[0] = amount;
                case ResourceNames.MEMORY -> fixed[1] = amount;
                case ResourceNames.PODS -> fixed[2] = amount;
                case ResourceNames.BATCH_CPU -> fixed[3] = amount;
                case ResourceNames.BATCH_MEMORY -> fixed[4] = amount;
                default -> scalars.put(name, amount);
            }
        }
        return new Booking(
                f[0], new Resources(fixed[0], fixed[1], fixed[2], fixed[3], fixed[4], ScalarResources.of(scalars)), at);
    }

    private static long number(String field, String text) {
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw new IllegalArgumentException(field + " must be ≥ 0, was " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is not a whole number: \"" + text + "\"", e);
        }
    }
}
