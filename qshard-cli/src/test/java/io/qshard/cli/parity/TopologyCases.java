package io.qshard.cli.parity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every case of {@code TopologyParityIT} ({@link AffinityCases}, {@link AntiAffinityCases}, {@link
 * PreferredAffinityCases}, {@link SpreadCases}) and the small vocabulary they are
 * written in. Scores quoted in the cases' explanations are kube-scheduler 1.20's: LeastAllocated (see
 * {@link ParityCluster} for the ranking; an existing 250m pod lowers its node by 1–4 points), BalancedAllocation 100
 * everywhere (every pod has the nodes' cpu:memory ratio), InterPodAffinity ×1, PodTopologySpread ×2, each normalised to
 * 0..100; the other default scorers give every fixture node the same score.
 */
final class TopologyCases {
    private TopologyCases() {}

    /** All cases, affinity first. */
    static List<ParityCase> all() {
        List<ParityCase> all = new ArrayList<>(AffinityCases.all());
        all.addAll(AntiAffinityCases.all());
        all.addAll(PreferredAffinityCases.all());
        all.addAll(SpreadCases.all());
        Set<String> names = new HashSet<>();
        for (ParityCase c : all) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("duplicate case name " + c.name());
            }
        }
        return List.copyOf(all);
    }

    static ParityCase c(
            String name,
            String covers,
            String why,
            List<ParityCase.Existing> existing,
            Shape probe,
            Set<String> feasible,
            String placement) {
        return new ParityCase(name, covers, why, existing, ParityCase.Workload.NONE, probe, feasible, placement);
    }

    static List<ParityCase.Existing> existing(ParityCase.Existing... e) {
        return List.of(e);
    }

    /** A pod of this shape bound to {@code node}. */
    static ParityCase.Existing on(String node, Shape s) {
        return new ParityCase.Existing(s, node, false);
    }

    /** A pod of this shape bound to {@code node} and then deleted with a grace period (it stays terminating). */
    static ParityCase.Existing terminatingOn(String node, Shape s) {
        return new ParityCase.Existing(s, node, true);
    }

    /** The same shape bound to each node given (a node may repeat). */
    static List<ParityCase.Existing> onEach(Shape s, String... nodes) {
        List<ParityCase.Existing> out = new ArrayList<>();
        for (String n : nodes) {
            out.add(on(n, s));
        }
        return out;
    }

    static Set<String> only(String... nodes) {
        return Set.of(nodes);
    }

    static Set<String> everyNode() {
        return Set.copyOf(ParityCluster.NAMES);
    }

    static Set<String> allBut(String... nodes) {
        Set<String> s = new LinkedHashSet<>(ParityCluster.NAMES);
        s.removeAll(List.of(nodes));
        return s;
    }

    static Set<String> none() {
        return Set.of();
    }
}
