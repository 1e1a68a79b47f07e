package io.qshard.cli.parity;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One differential preemption case of {@code PreemptionParityIT}: a few nodes, pods bound to them at create time (no
 * scheduler involved), PodDisruptionBudgets whose status is written by hand, and one preemptor that fits on no node
 * until lower-priority pods go. Node and pod names are logical: the run prefixes node names per case
 * ({@link PreemptionRun#nodeName}); pods keep their names in the case's own namespace. Immutable.
 *
 * @param name      short unique name
 * @param covers    the rule of kube-scheduler 1.20's DefaultPreemption the case exercises
 * @param setup     the cluster before the preemptor comes, and the preemptor
 * @param expected  kube-scheduler 1.20's answer: hand-written for the hand-shaped cases, worked out by
 *                  {@link PreemptionOracle} for the generated ones ({@code PreemptionCasesTest} checks both agree)
 */
record PreemptionCase(String name, String covers, Setup setup, Answer expected) {

    /**
     * What is in the cluster before the preemptor comes, and the preemptor.
     *
     * @param nodes     3–8 nodes
     * @param existing  pods bound to {@code nodes}; start seconds distinct, so 1.20's unstable victim sort and its
     *                  "latest start" tie-break are deterministic
     * @param budgets   policy/v1beta1 PodDisruptionBudgets in the case's namespace
     * @param preemptor the pod both schedulers are asked to place
     */
    record Setup(List<Node> nodes, List<Existing> existing, List<Budget> budgets, Preemptor preemptor) {
        Setup {
            nodes = List.copyOf(nodes);
            existing = List.copyOf(existing);
            budgets = List.copyOf(budgets);
            if (nodes.size() < 3 || nodes.size() > 8) {
                throw new IllegalArgumentException("nodes must be 3..8, got " + nodes.size());
            }
            Set<String> nodeNames = new HashSet<>();
            nodes.forEach(n -> nodeNames.add(n.name()));
            Set<String> podNames = new HashSet<>();
            Set<Long> starts = new HashSet<>();
            for (Existing e : existing) {
                if (!nodeNames.contains(e.node())) {
                    throw new IllegalArgumentException("pod " + e.name() + " on unknown node " + e.node());
                }
                if (!podNames.add(e.name())) {
                    throw new IllegalArgumentException("duplicate pod name " + e.name());
                }
                if (!starts.add(e.startSecond())) {
                    throw new IllegalArgumentException("pod " + e.name() + " shares its startSecond");
                }
                if (!PreemptionCases.PRIORITY_CLASSES.containsKey(e.priority())) {
                    throw new IllegalArgumentException("pod " + e.name() + " has a priority without PriorityClass");
                }
            }
            if (!PreemptionCases.PRIORITY_CLASSES.containsKey(preemptor.priority())) {
                throw new IllegalArgumentException("preemptor priority has no PriorityClass");
            }
        }

        /** The pods bound to {@code node}, in case order. */
        List<Existing> on(String node) {
            return existing.stream().filter(p -> p.node().equals(node)).toList();
        }
    }

    /** An API-only node: allocatable cpu (milli-cores) and memory (MiB), 110 pods. */
    record Node(String name, long milliCpu, long memoryMi) {}

    /**
     * A pod bound to {@code node}, requests = limits.
     *
     * @param priority    a key of {@link PreemptionCases#PRIORITY_CLASSES} (the apiserver sets it from that PriorityClass)
     * @param startSecond {@code status.startTime}, in seconds after {@link PreemptionRun#START_BASE}
     */
    record Existing(
            String name,
            String node,
            int priority,
            long milliCpu,
            long memoryMi,
            long startSecond,
            Map<String, String> labels) {
        Existing {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A PodDisruptionBudget selecting {@code matchLabels}, with the status the disruption controller would write
     * ({@code disruptionsAllowed}; {@code disruptedPods}: names of pods whose eviction it has processed).
     */
    record Budget(String name, Map<String, String> matchLabels, int disruptionsAllowed, Set<String> disruptedPods) {
        Budget {
            matchLabels = Map.copyOf(matchLabels);
            disruptedPods = Set.copyOf(disruptedPods);
        }
    }

    /** The preemptor: a prod pod (requests = limits) of this priority. */
    record Preemptor(int priority, long milliCpu, long memoryMi) {}

    /** Where the preemptor is nominated and which existing pods (by name) are deleted for it. */
    record Answer(String node, Set<String> victims) {
        Answer {
            victims = Set.copyOf(victims);
        }

        /** {@code node {v1, v2}} with the victims sorted, for tables. */
        String brief() {
            return node + " " + victims.stream().sorted().toList();
        }
    }

    PreemptionCase {
        boolean knownNode = setup.nodes().stream().anyMatch(n -> n.name().equals(expected.node()));
        boolean knownPods =
                setup.existing().stream().map(Existing::name).toList().containsAll(expected.victims());
        if (!knownNode || !knownPods) {
            throw new IllegalArgumentException(name + ": expected answer names unknown objects: " + expected);
        }
    }
}
