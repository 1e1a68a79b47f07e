package io.qshard.cli.parity2;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every case of {@code ResourceParityIT} ({@link FitCases}, {@link PortCases}, {@link VolumeCases}) and the small
 * vocabulary they are written in. Placements follow from kube-scheduler 1.20's default scorers: every pod and node has
 * 4 GiB memory per core, so BalancedAllocation is equal everywhere, LeastAllocated (cpu and memory only) ranks the
 * nodes by size (a · b · c · d · e, see {@link ResourceCluster}) and the other scorers give every fixture node the
 * same score; the placement is the largest feasible node unless a case says otherwise.
 */
final class ResourceCases {
    private ResourceCases() {}

    /** All cases: fit, ports, volumes. */
    static List<ResourceCase> all() {
        List<ResourceCase> all = new ArrayList<>(FitCases.all());
        all.addAll(PortCases.all());
        all.addAll(VolumeCases.all());
        Set<String> names = new HashSet<>();
        for (ResourceCase c : all) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("duplicate case name " + c.name());
            }
        }
        return List.copyOf(all);
    }

    static ResourceCase.Existing on(String node, PodShape s) {
        return new ResourceCase.Existing(s, node);
    }

    static Set<String> only(String... nodes) {
        return Set.of(nodes);
    }

    static Set<String> everyNode() {
        return Set.copyOf(ResourceCluster.NAMES);
    }

    static Set<String> allBut(String... nodes) {
        Set<String> s = new LinkedHashSet<>(ResourceCluster.NAMES);
        s.removeAll(List.of(nodes));
        return s;
    }

    static Set<String> none() {
        return Set.of();
    }
}
