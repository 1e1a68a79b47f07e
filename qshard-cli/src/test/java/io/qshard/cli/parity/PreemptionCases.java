package io.qshard.cli.parity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cases of {@code PreemptionParityIT} and the vocabulary they are written in: hand-shaped ones after 1.20's
 * {@code default_preemption_test.go} (notes §10; the name says which rule decides; {@link PreemptionNodeChoiceCases},
 * {@link PreemptionVictimCases}), then {@link PreemptionRandomCases}' seeded ones. Every pod asks 256 MiB of
 * an 8 GiB node unless memory is the point, so cpu alone decides. Priorities as in the Go tests. Stateless.
 */
final class PreemptionCases {
    static final int NEG = -100;
    static final int LOW = 0;
    static final int MID = 100;
    static final int HIGH = 1000;
    static final int VERY_HIGH = 10000;
    /** The PriorityClass of each priority the cases use (the apiserver's Priority admission sets spec.priority). */
    static final Map<Integer, String> PRIORITY_CLASSES =
            Map.of(NEG, "pp-neg", LOW, "pp-low", MID, "pp-mid", HIGH, "pp-high", VERY_HIGH, "pp-very-high");

    static final long POD_MEMORY_MI = 256;
    static final long NODE_MEMORY_MI = 8192;
    /** The label the cases' budgets select. */
    static final String APP = "app";

    private PreemptionCases() {}

    /** Hand-shaped cases first, then the seeded ones; names are unique. */
    static List<PreemptionCase> all() {
        List<PreemptionCase> all = new ArrayList<>(handShaped());
        all.addAll(PreemptionRandomCases.generate(PreemptionRandomCases.SEED, PreemptionRandomCases.COUNT));
        Set<String> names = new HashSet<>();
        for (PreemptionCase c : all) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("duplicate case name " + c.name());
            }
        }
        return List.copyOf(all);
    }

    /** The hand-shaped cases: node choice, then victims and budgets. */
    static List<PreemptionCase> handShaped() {
        List<PreemptionCase> all = new ArrayList<>(PreemptionNodeChoiceCases.all());
        all.addAll(PreemptionVictimCases.all());
        return List.copyOf(all);
    }

    static PreemptionCase c(
            String name,
            String covers,
            List<PreemptionCase.Node> nodes,
            List<PreemptionCase.Existing> pods,
            List<PreemptionCase.Budget> budgets,
            int priority,
            long milliCpu,
            PreemptionCase.Answer expected) {
        PreemptionCase.Preemptor p = new PreemptionCase.Preemptor(priority, milliCpu, POD_MEMORY_MI);
        return new PreemptionCase(name, covers, new PreemptionCase.Setup(nodes, pods, budgets, p), expected);
    }

    /** Nodes a, b, c, … of these cpu sizes (milli-cores) and {@link #NODE_MEMORY_MI}. */
    static List<PreemptionCase.Node> nodes(long... milliCpu) {
        List<PreemptionCase.Node> out = new ArrayList<>();
        for (int i = 0; i < milliCpu.length; i++) {
            out.add(new PreemptionCase.Node(String.valueOf((char) ('a' + i)), milliCpu[i], NODE_MEMORY_MI));
        }
        return out;
    }

    static PreemptionCase.Existing pod(String name, String node, int priority, long milliCpu, long start) {
        return new PreemptionCase.Existing(name, node, priority, milliCpu, POD_MEMORY_MI, start, Map.of());
    }

    static PreemptionCase.Existing labelled(
            String name, String node, int priority, long milliCpu, long start, String app) {
        return new PreemptionCase.Existing(name, node, priority, milliCpu, POD_MEMORY_MI, start, Map.of(APP, app));
    }

    static PreemptionCase.Existing sized(
            String name, String node, int priority, long milliCpu, long memoryMi, long start) {
        return new PreemptionCase.Existing(name, node, priority, milliCpu, memoryMi, start, Map.of());
    }

    /** A budget {@code name} selecting {@code app=<app>} with this many disruptions allowed. */
    static PreemptionCase.Budget budget(String name, String app, int allowed) {
        return new PreemptionCase.Budget(name, Map.of(APP, app), allowed, Set.of());
    }

    static PreemptionCase.Answer expect(String node, String... victims) {
        return new PreemptionCase.Answer(node, Set.of(victims));
    }
}
