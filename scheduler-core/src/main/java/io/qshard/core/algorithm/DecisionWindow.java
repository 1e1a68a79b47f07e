package io.qshard.core.algorithm;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;
import java.util.Arrays;

/**
 * What a full decision saw, kept so that the next decision for an equivalent pod can redo only what changed: the
 * nodes the filter pass walked (from {@link #start}, in ring order), which of them were feasible and in which slot,
 * and every scorer's raw (not yet normalised) score per slot. Buffers are reused from one decision to the next.
 * Not thread-safe: owned by one {@link DecisionReuse}, on the decision thread.
 */
final class DecisionWindow {
    /** The pod whose full decision filled the window; later pods must be equivalent to it. */
    PodRequest leader;
    /**
     * The leader's cycle state after PreFilter (which sees only the pod) and PreScore, and the filters PreFilter left
     * active; a copy once the window is complete, so later steps of the leader's cycle cannot change it.
     */
    CycleState state;

    FilterPlugin[] filters;
    /** Snapshot size and ring start of the filter pass. */
    int size;

    int start;
    /** Nodes walked: {@code scanned[0..evaluated)}; {@code slot[i]} is the feasible slot of scanned node i, or −1. */
    int evaluated;

    NodeState[] scanned = new NodeState[0];
    int[] slot = new int[0];
    /** Feasible nodes {@code feasible[0..found)} and raw scores {@code raw[scorer][0..found)}. */
    int found;

    NodeState[] feasible;
    long[][] raw;
    /** Scorers PreScore skipped (null: none). */
    boolean[] skip;
    /** Normalisation scratch, {@code found} long. */
    long[] scratch = new long[0];
    /** Decisions made from this window since its full decision. */
    int reuses;
    /** False until a full decision fills it, and after a change the window cannot absorb. */
    boolean valid;

    /** Starts recording a full decision walking at most {@code size} nodes. */
    void begin(PodRequest pod, CycleState cycle, FilterPlugin[] activeFilters, int snapshotSize, int ringStart) {
        leader = pod;
        state = cycle;
        filters = activeFilters;
        size = snapshotSize;
        start = ringStart;
        evaluated = 0;
        found = 0;
        reuses = 0;
        valid = false;
        if (scanned.length < snapshotSize) {
            scanned = new NodeState[snapshotSize];
            slot = new int[snapshotSize];
        }
    }

    /** Records the next node walked and its feasible slot (−1 if it failed a filter). */
    void walked(NodeState node, int feasibleSlot) {
        scanned[evaluated] = node;
        slot[evaluated++] = feasibleSlot;
    }

    /** Raw score buffer of scorer {@code j} for {@code count} slots. */
    long[] raw(int scorers, int j, int count) {
        if (raw == null || raw.length != scorers) {
            raw = new long[scorers][];
        }
        if (raw[j] == null || raw[j].length < count) {
            raw[j] = new long[count];
        }
        return raw[j];
    }

    /** {@code source[0..count)} copied into the scratch buffer, for a plugin to normalise in place. */
    long[] scratchCopy(long[] source, int count) {
        if (scratch.length < count) {
            scratch = new long[count];
        }
        System.arraycopy(source, 0, scratch, 0, count);
        return scratch;
    }

    /** Completes the recording: the window holds {@code count ≥ 2} scored nodes. */
    void complete(NodeState[] feasibleNodes, int count, boolean[] skipped) {
        feasible = feasibleNodes;
        found = count;
        state = state.copy();
        skip = skipped == null ? null : Arrays.copyOf(skipped, skipped.length);
        valid = true;
    }

    /** Drops the window; the next decision is a full one. */
    void invalidate() {
        valid = false;
        leader = null;
        state = null;
        Arrays.fill(scanned, 0, evaluated, null);
        evaluated = 0;
    }
}
