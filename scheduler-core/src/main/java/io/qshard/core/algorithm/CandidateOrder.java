package io.qshard.core.algorithm;

import io.qshard.core.framework.CandidateNodes;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.BitSet;

/**
 * The walk over a PreFilter's candidate nodes ({@link io.qshard.core.framework.PreFilterPlugin#candidateNodes}): their
 * snapshot positions as a bit set, walked from the ring's start with {@code nextSetBit} (wrapping once), so the
 * feasible nodes found are exactly those a walk over every node would find, in the same order — the others would fail
 * that plugin's Filter. The positions of one label value come from the snapshot's memo
 * ({@link ClusterSnapshot#positionsWithLabel}). Stateless.
 */
final class CandidateOrder {
    private CandidateOrder() {}

    /** The snapshot positions of the candidates (nodes outside the snapshot are not in it). */
    static BitSet positions(ClusterSnapshot snapshot, CandidateNodes candidates) {
        BitSet out = new BitSet(snapshot.size());
        for (String value : candidates.values()) {
            for (int p : snapshot.positionsWithLabel(candidates.key(), value)) {
                out.set(p);
            }
        }
        return out;
    }
}
