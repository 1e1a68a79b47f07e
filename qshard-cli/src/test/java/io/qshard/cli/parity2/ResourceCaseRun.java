package io.qshard.cli.parity2;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.cli.parity.ParityCluster;
import io.qshard.cli.parity.Prober;
import io.qshard.cli.parity.Verdict;
import io.qshard.localcluster.fixtures.Namespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one {@link ResourceCase} for each contender in turn: creates the case's namespace, objects (then passes the
 * {@link StorageFence} if they include storage objects) and bound pods, checks the probe as the apiserver stores it, sends a pinned probe per fixture node and then an unpinned one (one
 * probe in the cluster at a time, each with its hook's objects), and removes everything again. Not thread-safe.
 */
final class ResourceCaseRun {
    /** A scheduler under comparison: a label for tables and the schedulerName its probes carry. */
    record Contender(String label, String schedulerName) {}

    /**
     * What each contender answered, per pinned node and for the unpinned probe; problems the stored-probe check found
     * and, per contender, problems its probes' hooks found ("node: problem").
     */
    record Result(
            ResourceCase c,
            Map<Contender, Map<String, Verdict>> pinned,
            Map<Contender, Verdict> placed,
            List<String> storedProblems,
            Map<Contender, List<String>> hookProblems) {}

    /** Bound at create time (no scheduler involved). */
    private static final String EXISTING_SCHEDULER = "default-scheduler";
    /** The schedulerName of the stored-probe check: no scheduler serves it. */
    private static final String NOBODY = "rp-unscheduled";

    static final String PLACEMENT = "any";

    private final KubernetesClient admin;
    private final Prober prober;

    ResourceCaseRun(KubernetesClient admin, Prober prober) {
        this.admin = admin;
        this.prober = prober;
    }

    Result run(int index, ResourceCase c, List<Contender> contenders) {
        String ns = Namespaces.fresh(admin, "rp" + index);
        CaseContext ctx = new CaseContext(admin, ns);
        try {
            c.setup().accept(ctx);
            if (c.hook() != null) {
                List<String> probes = new ArrayList<>();
                for (String node : ResourceCluster.NAMES) {
                    contenders.forEach(who -> probes.add(probeName(who, node)));
                }
                contenders.forEach(who -> probes.add(probeName(who, PLACEMENT)));
                c.hook().prepare(ctx, probes);
            }
            Map<Contender, List<String>> problems = new LinkedHashMap<>();
            if (ctx.createdStorage()) {
                StorageFence.pass(ctx, prober, contenders)
                        .forEach((who, problem) -> problems.computeIfAbsent(who, w -> new ArrayList<>())
                                .add("(fence): " + problem));
            }
            int k = 0;
            for (ResourceCase.Existing e : c.existing()) {
                admin.resource(ShapePods.build(
                                e.shape(), "existing-" + k++, ns, EXISTING_SCHEDULER, null, e.node(), null))
                        .create();
            }
            List<String> stored = new ArrayList<>();
            if (c.stored() != null) {
                Pod created = admin.resource(ShapePods.build(c.probe(), "stored", ns, NOBODY, "none", null, null))
                        .create();
                String problem = c.stored().apply(created);
                if (problem != null) {
                    stored.add(problem);
                }
                prober.delete(ns, "stored");
            }
            Map<Contender, Map<String, Verdict>> pinned = new LinkedHashMap<>();
            Map<Contender, Verdict> placed = new LinkedHashMap<>();
            for (String node : ResourceCluster.NAMES) {
                for (Contender who : contenders) {
                    Verdict v = probe(ctx, c, who, node, ParityCluster.pinTo(node), problems);
                    pinned.computeIfAbsent(who, w -> new LinkedHashMap<>()).put(node, v);
                }
            }
            for (Contender who : contenders) {
                placed.put(who, probe(ctx, c, who, PLACEMENT, ParityCluster.anyNode(), problems));
            }
            return new Result(c, pinned, placed, stored, problems);
        } finally {
            cleanUp(ctx);
        }
    }

    private Verdict probe(
            CaseContext ctx,
            ResourceCase c,
            Contender who,
            String node,
            Toleration toleration,
            Map<Contender, List<String>> problems) {
        String name = probeName(who, node);
        Verdict v = prober.probe(ShapePods.build(
                c.probe(),
                name,
                ctx.namespace(),
                who.schedulerName(),
                StaticLocalVolumes.claimOf(name),
                null,
                toleration));
        List<String> mine = problems.computeIfAbsent(who, w -> new ArrayList<>());
        if (c.hook() != null && v.kind() != Verdict.Kind.TIMEOUT) {
            String problem = c.hook().after(ctx, name, v);
            if (problem != null) {
                mine.add(node + ": " + problem);
            }
        }
        return v;
    }

    private static String probeName(Contender who, String node) {
        return who.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + node;
    }

    private void cleanUp(CaseContext ctx) {
        String ns = ctx.namespace();
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        await("pods of " + ns + " gone")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> admin.pods().inNamespace(ns).list().getItems().isEmpty());
        ctx.cleanUp();
    }
}
