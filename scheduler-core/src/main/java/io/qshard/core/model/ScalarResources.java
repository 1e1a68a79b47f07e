package io.qshard.core.model;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjIntConsumer;

/**
 * The resources beyond cpu, memory, pods and qshard's batch pair, as a sparse map name → amount: {@code
 * ephemeral-storage} (bytes), {@code hugepages-<size>} (bytes) and every extended resource ({@code nvidia.com/gpu},
 * integer units). Amounts are integers in the API's base unit ({@code Quantity.Value()}, rounded up). Names are
 * sorted, so merges are linear and equal maps have equal arrays. Most pods and many nodes have none: {@link #EMPTY} is
 * shared and every operation on two empty maps returns it without allocating. Immutable and thread-safe.
 */
public final class ScalarResources {
    /** No scalar resources. */
    public static final ScalarResources EMPTY = new ScalarResources(new String[0], new long[0]);

    private final String[] names;
    private final long[] values;

    private ScalarResources(String[] names, long[] values) {
        this.names = names;
        this.values = values;
    }

    /** From a map; entries are copied, names sorted; empty map → {@link #EMPTY}. */
    public static ScalarResources of(Map<String, Long> amounts) {
        if (amounts.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, Long> sorted = new TreeMap<>(amounts);
        String[] n = new String[sorted.size()];
        long[] v = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            n[i] = e.getKey();
            v[i++] = e.getValue();
        }
        return new ScalarResources(n, v);
    }

    /** One resource. */
    public static ScalarResources of(String name, long amount) {
        return new ScalarResources(new String[] {name}, new long[] {amount});
    }

    /** Whether no resource is listed (a listed resource with amount 0 counts as listed, as in the API). */
    public boolean isEmpty() {
        return names.length == 0;
    }

    /** Number of resources listed. */
    public int size() {
        return names.length;
    }

    /** The i-th name, in sorted order, 0 ≤ i &lt; {@link #size()}. */
    public String name(int i) {
        return names[i];
    }

    /** The i-th amount, in the order of {@link #name(int)}. */
    public long amount(int i) {
        return values[i];
    }

    /** The amount of {@code name}, 0 when absent. */
    public long get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : 0;
    }

    /** Whether {@code name} is listed. */
    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /** Name-wise sum (absent = 0), saturated at {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} ({@link Saturating}). */
    public ScalarResources plus(ScalarResources o) {
        return merge(o, 1);
    }

    /** Name-wise difference (absent = 0), saturated as {@link #plus}; a name whose result is 0 stays listed. */
    public ScalarResources minus(ScalarResources o) {
        return merge(o, -1);
    }

    /** Name-wise max (absent = 0). */
    public ScalarResources max(ScalarResources o) {
        return merge(o, 0);
    }

    /** Whether some amount is {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE}: a sum that may have saturated. */
    public boolean anyAtLimit() {
        for (long v : values) {
            if (Saturating.atLimit(v)) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} with each name and its index, in sorted order. */
    public void forEach(ObjIntConsumer<String> action) {
        for (int i = 0; i < names.length; i++) {
            action.accept(names[i], i);
        }
    }

    /** sign 1: sum; -1: difference; 0: max. */
    private ScalarResources merge(ScalarResources o, int sign) {
        if (o.names.length == 0) {
            return sign == 0 && anyNegative(values) ? merge0(o, sign) : this;
        }
        if (names.length == 0 && sign >= 0) {
            return sign == 0 && anyNegative(o.values) ? merge0(o, sign) : o;
        }
        return merge0(o, sign);
    }

    private ScalarResources merge0(ScalarResources o, int sign) {
        String[] n = new String[names.length + o.names.length];
        long[] v = new long[n.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < names.length || j < o.names.length) {
            int c = i == names.length ? 1 : j == o.names.length ? -1 : names[i].compareTo(o.names[j]);
            long a = c <= 0 ? values[i] : 0;
            long b = c >= 0 ? o.values[j] : 0;
            n[k] = c <= 0 ? names[i] : o.names[j];
            v[k++] = sign == 0 ? Math.max(a, b) : sign > 0 ? Saturating.add(a, b) : Saturating.subtract(a, b);
            i += c <= 0 ? 1 : 0;
            j += c >= 0 ? 1 : 0;
        }
        return new ScalarResources(Arrays.copyOf(n, k), Arrays.copyOf(v, k));
    }

    private static boolean anyNegative(long[] v) {
        for (long x : v) {
            if (x < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o == this
                || o instanceof ScalarResources s && Arrays.equals(names, s.names) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            b.append(i == 0 ? "" : " ").append(names[i]).append('=').append(values[i]);
        }
        return b.toString();
    }
}
