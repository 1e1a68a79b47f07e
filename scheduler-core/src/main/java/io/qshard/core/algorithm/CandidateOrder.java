package io.qshard.core.algorithm;

import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.Arrays;
import java.util.Collection;

/**
 * The walk over a PreFilter's candidate nodes ({@link io.qshard.core.framework.PreFilterPlugin#candidateNodes}): their
 * snapshot positions in ascending order, entered at the ring's start, so the feasible nodes found are exactly those a
 * walk over every node would find, in the same order — the others would fail that plugin's Filter. Stateless.
 */
final class CandidateOrder {
    private CandidateOrder() {}

    /** Ascending snapshot positions of {@code names} (names of nodes outside the snapshot are dropped). */
    static int[] positions(ClusterSnapshot snapshot, Collection<String> names) {
        int[] out = new int[names.size()];
        int k = 0;
        for (String name : names) {
            int i = snapshot.position(name);
            if (i >= 0) {
                out[k++] = i;
            }
        }
        out = Arrays.copyOf(out, k);
        Arrays.sort(out);
        return out;
    }

    /** Index in {@code order} of the first position ≥ {@code start}, wrapping to 0. */
    static int firstAtOrAfter(int[] order, int start) {
        int i = Arrays.binarySearch(order, start);
        int at = i >= 0 ? i : -i - 1;
        return at == order.length ? 0 : at;
    }
}
