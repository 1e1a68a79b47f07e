package io.qshard.cli.parity;

import static io.qshard.cli.parity.PreemptionCases.HIGH;
import static io.qshard.cli.parity.PreemptionCases.LOW;
import static io.qshard.cli.parity.PreemptionCases.MID;
import static io.qshard.cli.parity.PreemptionCases.NEG;
import static io.qshard.cli.parity.PreemptionCases.VERY_HIGH;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * Seeded preemption cases ({@code new Random(seed)}): 3–6 nodes of 2–4 cores, each filled with pods of random
 * priority and size (multiples of 250m) until the preemptor no longer fits, distinct start seconds, and in about half
 * of the cases a budget over some pods allowing 0 or 1 disruptions. A draw is kept only when the preemptor fits
 * nowhere, at least two nodes are candidates and 1.20's tie-breaks leave exactly one node
 * ({@link PreemptionOracle}), so each kept case has one right answer. Stateless.
 */
final class PreemptionRandomCases {
    static final long SEED = 22L;
    static final int COUNT = 10;
    private static final int[] PRIORITIES = {NEG, LOW, LOW, MID, MID, HIGH, VERY_HIGH};
    private static final int MAX_DRAWS = 1000;

    private PreemptionRandomCases() {}

    /** {@code count} cases named {@code random-<seed>-<i>}; the same seed gives the same cases. */
    static List<PreemptionCase> generate(long seed, int count) {
        Random rnd = new Random(seed);
        List<PreemptionCase> out = new ArrayList<>();
        for (int draws = 0; out.size() < count; draws++) {
            if (draws == MAX_DRAWS) {
                throw new IllegalStateException("seed " + seed + ": " + MAX_DRAWS + " draws gave " + out.size()
                        + " cases with one right answer");
            }
            PreemptionCase.Setup s = draw(rnd);
            if (!PreemptionOracle.fitsWithoutPreemption(s).isEmpty()) {
                continue;
            }
            PreemptionOracle.Decision d = PreemptionOracle.decide(s);
            if (d.answer().isEmpty() || !d.unique() || d.all().size() < 2) {
                continue;
            }
            out.add(new PreemptionCase(
                    "random-" + seed + "-" + out.size(),
                    "seeded, " + d.all().size() + " candidates; decided by " + d.decidedBy(),
                    s,
                    d.answer().orElseThrow()));
        }
        return List.copyOf(out);
    }

    private static PreemptionCase.Setup draw(Random rnd) {
        int nodeCount = 3 + rnd.nextInt(4);
        long preemptorCpu = 1000 + 500L * rnd.nextInt(3);
        int priority = rnd.nextInt(4) == 0 ? VERY_HIGH : HIGH;
        boolean withBudget = rnd.nextBoolean();
        List<PreemptionCase.Node> nodes = new ArrayList<>();
        List<PreemptionCase.Existing> unstarted = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            String node = String.valueOf((char) ('a' + i));
            long cpu = 2000 + 1000L * rnd.nextInt(3);
            nodes.add(new PreemptionCase.Node(node, cpu, PreemptionCases.NODE_MEMORY_MI));
            long used = 0;
            for (int k = 1; cpu - used >= preemptorCpu; k++) {
                long size = Math.min(cpu - used, 250L * (1 + rnd.nextInt(6)));
                int p = PRIORITIES[rnd.nextInt(PRIORITIES.length)];
                Map<String, String> labels =
                        withBudget && rnd.nextInt(3) == 0 ? Map.of(PreemptionCases.APP, "g") : Map.of();
                unstarted.add(
                        new PreemptionCase.Existing(node + k, node, p, size, PreemptionCases.POD_MEMORY_MI, 0, labels));
                used += size;
            }
        }
        List<Long> starts = new ArrayList<>(
                LongStream.rangeClosed(1, unstarted.size()).boxed().toList());
        Collections.shuffle(starts, rnd);
        List<PreemptionCase.Existing> pods = new ArrayList<>();
        for (int i = 0; i < unstarted.size(); i++) {
            PreemptionCase.Existing e = unstarted.get(i);
            pods.add(new PreemptionCase.Existing(
                    e.name(), e.node(), e.priority(), e.milliCpu(), e.memoryMi(), starts.get(i), e.labels()));
        }
        List<PreemptionCase.Budget> budgets =
                withBudget ? List.of(PreemptionCases.budget("g", "g", rnd.nextInt(2))) : List.of();
        return new PreemptionCase.Setup(
                nodes,
                pods,
                budgets,
                new PreemptionCase.Preemptor(priority, preemptorCpu, PreemptionCases.POD_MEMORY_MI));
    }
}
