package io.qshard.cli.parity2;

import io.fabric8.kubernetes.api.model.Pod;
import io.qshard.cli.parity.Verdict;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One resource parity case: the API objects and bound pods it needs, the probe both schedulers are asked to place,
 * and what kube-scheduler 1.20 is expected to answer (the reference: the run checks kube-scheduler against it, then
 * qshard against kube-scheduler). Immutable; {@code setup}, {@code existing}, {@code stored} and {@code hook} are
 * added by the copying methods of the same names.
 *
 * @param name      short unique name
 * @param covers    the rule the case exercises
 * @param why       how the expectation follows from kube-scheduler 1.20's rules
 * @param setup     creates the case's objects (claims, PVs, RuntimeClass, CSINode) before any pod
 * @param existing  pods bound with spec.nodeName at create time, no scheduler involved
 * @param probe     the probe's shape
 * @param feasible  nodes a probe pinned to them fits on
 * @param placement the node the unpinned probe goes to, or null when it fits nowhere
 * @param reason    a text kube-scheduler's message must contain for a probe pinned to an infeasible node (null when
 *                  every node is feasible)
 * @param stored    checks the probe as the apiserver stores it (problem text, or null when as the case assumes);
 *                  null: no check
 * @param hook      per-probe objects and checks (null: none)
 */
record ResourceCase(
        String name,
        String covers,
        String why,
        Consumer<CaseContext> setup,
        List<Existing> existing,
        PodShape probe,
        Set<String> feasible,
        String placement,
        String reason,
        Function<Pod, String> stored,
        ProbeHook hook) {
    ResourceCase {
        existing = List.copyOf(existing);
        feasible = Set.copyOf(feasible);
        if (placement != null && !feasible.contains(placement)) {
            throw new IllegalArgumentException(name + ": placement " + placement + " is not among the feasible nodes");
        }
        if ((placement == null) != feasible.isEmpty()) {
            throw new IllegalArgumentException(name + ": a placement exactly when some node is feasible");
        }
        if ((reason == null) != (feasible.size() == ResourceCluster.NAMES.size())) {
            throw new IllegalArgumentException(name + ": a reason exactly when some node is infeasible");
        }
    }

    /** A pod of {@code shape} bound to {@code node}. */
    record Existing(PodShape shape, String node) {}

    /** Objects and checks around each single probe (e.g. its own claim and PVs). */
    interface ProbeHook {
        /** Creates what each of the case's probes (by name) needs, before the first probe. */
        void prepare(CaseContext ctx, List<String> probes);

        /** Checks the API after {@code probe} was answered with {@code v}: a problem, or null. */
        String after(CaseContext ctx, String probe, Verdict v);
    }

    static ResourceCase of(
            String name,
            String covers,
            String why,
            PodShape probe,
            Set<String> feasible,
            String placement,
            String reason) {
        return new ResourceCase(
                name, covers, why, ctx -> {}, List.of(), probe, feasible, placement, reason, null, null);
    }

    ResourceCase setup(Consumer<CaseContext> s) {
        return new ResourceCase(name, covers, why, s, existing, probe, feasible, placement, reason, stored, hook);
    }

    ResourceCase existing(Existing... e) {
        return new ResourceCase(name, covers, why, setup, List.of(e), probe, feasible, placement, reason, stored, hook);
    }

    ResourceCase stored(Function<Pod, String> check) {
        return new ResourceCase(name, covers, why, setup, existing, probe, feasible, placement, reason, check, hook);
    }

    ResourceCase hook(ProbeHook h) {
        return new ResourceCase(name, covers, why, setup, existing, probe, feasible, placement, reason, stored, h);
    }
}
