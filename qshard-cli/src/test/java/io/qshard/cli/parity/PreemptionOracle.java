package io.qshard.cli.parity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * kube-scheduler 1.20's DefaultPreemption for the cases' shapes only (cpu and memory requests, no other filter
 * involved, every node dry-run), written from {@code /work/tools/notes/preemption-1.20.md} §3–§4 to design cases
 * with one right answer: {@code selectVictimsOnNode} (strictly lower priorities removed, sorted by
 * {@code MoreImportantPod}, PDB-violating pods reprieved first) and {@code pickOneNodeForPreemption} (fewest
 * violations, lowest <em>first</em> victim — 1.20 reads {@code Pods[0]} —, smallest Σ(priority + 2^31), fewest
 * victims, latest earliest start of the highest victims). Independent of qshard's own implementation on purpose.
 * Stateless.
 */
final class PreemptionOracle {
    private static final long OFFSET = (long) Integer.MAX_VALUE + 1;

    /** A node where preemption helps: its victims in 1.20's order and how many of them break a budget. */
    record Candidate(String node, List<PreemptionCase.Existing> victims, int violations) {}

    /**
     * 1.20's choice. {@code unique} is false when tie-breaks still leave several nodes (1.20 then takes a random one);
     * {@code decidedBy} names the tie-break that left one node ("only candidate" when there was one).
     */
    record Decision(Optional<PreemptionCase.Answer> answer, boolean unique, String decidedBy, List<Candidate> all) {}

    private PreemptionOracle() {}

    /** Nodes the preemptor fits on as the cluster stands (a valid case has none). */
    static List<String> fitsWithoutPreemption(PreemptionCase.Setup c) {
        return c.nodes().stream()
                .filter(n -> fits(c, n, c.on(n.name())))
                .map(PreemptionCase.Node::name)
                .toList();
    }

    static Decision decide(PreemptionCase.Setup c) {
        List<Candidate> candidates = new ArrayList<>();
        for (PreemptionCase.Node n : c.nodes()) {
            candidate(c, n).ifPresent(candidates::add);
        }
        if (candidates.isEmpty()) {
            return new Decision(Optional.empty(), true, "no candidate", candidates);
        }
        if (candidates.size() == 1) {
            return new Decision(Optional.of(answer(candidates.get(0))), true, "only candidate", candidates);
        }
        List<Candidate> left = candidates;
        left = min(left, k -> k.violations());
        if (left.size() == 1) {
            return decided(left, "fewest PDB violations", candidates);
        }
        left = min(left, k -> k.victims().get(0).priority());
        if (left.size() == 1) {
            return decided(left, "lowest first victim", candidates);
        }
        left = min(
                left,
                k -> k.victims().stream().mapToLong(p -> p.priority() + OFFSET).sum());
        if (left.size() == 1) {
            return decided(left, "smallest priority sum", candidates);
        }
        left = min(left, k -> k.victims().size());
        if (left.size() == 1) {
            return decided(left, "fewest victims", candidates);
        }
        left = min(left, k -> -earliestStartOfHighest(k.victims()));
        return new Decision(Optional.of(answer(left.get(0))), left.size() == 1, "latest start", candidates);
    }

    /** 1.20's {@code selectVictimsOnNode} on node {@code n}, empty when it is no candidate. */
    static Optional<Candidate> candidate(PreemptionCase.Setup c, PreemptionCase.Node n) {
        int priority = c.preemptor().priority();
        List<PreemptionCase.Existing> kept = new ArrayList<>(c.on(n.name()));
        List<PreemptionCase.Existing> potential =
                kept.stream().filter(p -> p.priority() < priority).toList();
        if (potential.isEmpty()) {
            return Optional.empty();
        }
        kept.removeAll(potential);
        if (!fits(c, n, kept)) {
            return Optional.empty();
        }
        List<PreemptionCase.Existing> sorted = potential.stream()
                .sorted(Comparator.comparingInt(PreemptionCase.Existing::priority)
                        .reversed()
                        .thenComparingLong(PreemptionCase.Existing::startSecond))
                .toList();
        int[] allowed = c.budgets().stream()
                .mapToInt(PreemptionCase.Budget::disruptionsAllowed)
                .toArray();
        List<PreemptionCase.Existing> violating = new ArrayList<>();
        List<PreemptionCase.Existing> nonViolating = new ArrayList<>();
        for (PreemptionCase.Existing p : sorted) {
            boolean violated = false;
            for (int i = 0; i < allowed.length && !p.labels().isEmpty(); i++) {
                PreemptionCase.Budget b = c.budgets().get(i);
                if (b.matchLabels().isEmpty() || !matches(b.matchLabels(), p.labels())) {
                    continue;
                }
                if (b.disruptedPods().contains(p.name())) {
                    continue;
                }
                allowed[i]--;
                violated |= allowed[i] < 0;
            }
            (violated ? violating : nonViolating).add(p);
        }
        List<PreemptionCase.Existing> victims = new ArrayList<>();
        int violations = 0;
        for (PreemptionCase.Existing p : violating) {
            kept.add(p);
            if (!fits(c, n, kept)) {
                kept.remove(p);
                victims.add(p);
                violations++;
            }
        }
        for (PreemptionCase.Existing p : nonViolating) {
            kept.add(p);
            if (!fits(c, n, kept)) {
                kept.remove(p);
                victims.add(p);
            }
        }
        return Optional.of(new Candidate(n.name(), List.copyOf(victims), violations));
    }

    private static Decision decided(List<Candidate> left, String step, List<Candidate> all) {
        return new Decision(Optional.of(answer(left.get(0))), true, step, all);
    }

    private static PreemptionCase.Answer answer(Candidate k) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        k.victims().forEach(v -> names.add(v.name()));
        return new PreemptionCase.Answer(k.node(), names);
    }

    /** 1.20's {@code GetEarliestPodStartTime}: the earliest start among the victims of the highest priority. */
    private static long earliestStartOfHighest(List<PreemptionCase.Existing> victims) {
        int highest = victims.stream()
                .mapToInt(PreemptionCase.Existing::priority)
                .max()
                .orElseThrow();
        return victims.stream()
                .filter(v -> v.priority() == highest)
                .mapToLong(PreemptionCase.Existing::startSecond)
                .min()
                .orElseThrow();
    }

    private static List<Candidate> min(List<Candidate> in, ToLongFunction<Candidate> key) {
        long best = in.stream().mapToLong(key).min().orElseThrow();
        return in.stream().filter(k -> key.applyAsLong(k) == best).toList();
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean fits(PreemptionCase.Setup c, PreemptionCase.Node n, List<PreemptionCase.Existing> pods) {
        long cpu = c.preemptor().milliCpu();
        long memory = c.preemptor().memoryMi();
        for (PreemptionCase.Existing p : pods) {
            cpu += p.milliCpu();
            memory += p.memoryMi();
        }
        return cpu <= n.milliCpu() && memory <= n.memoryMi() && pods.size() + 1 <= 110;
    }
}
