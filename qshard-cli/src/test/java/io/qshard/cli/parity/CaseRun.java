package io.qshard.cli.parity;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.Namespaces;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs one {@link ParityCase} for each contender in turn: creates the case's namespaces, workload objects and existing
 * pods, sends a pinned probe per fixture node and then an unpinned one (one probe in the cluster at a time), and
 * removes every pod of the case again. Not thread-safe.
 */
final class CaseRun {
    /** A scheduler under comparison: a label for tables and the schedulerName its probes carry. */
    record Contender(String label, String schedulerName) {}

    /** What each contender answered: per pinned node, and for the unpinned probe. */
    record Result(ParityCase c, Map<Contender, Map<String, Verdict>> pinned, Map<Contender, Verdict> placed) {}

    private static final String EXISTING_SCHEDULER = "default-scheduler"; // bound at create time: no scheduler runs

    private final KubernetesClient admin;
    private final Prober prober;

    CaseRun(KubernetesClient admin, Prober prober) {
        this.admin = admin;
        this.prober = prober;
    }

    Result run(int index, ParityCase c, List<Contender> contenders) {
        Map<String, String> namespaces = new LinkedHashMap<>();
        UnaryOperator<String> ns =
                logical -> namespaces.computeIfAbsent(logical, l -> Namespaces.fresh(admin, "tp" + index + "-" + l));
        String own = ns.apply(Shape.OWN);
        try {
            OwnerReference owner = workload(c.workload(), own, c.existing());
            int k = 0;
            for (ParityCase.Existing e : c.existing()) {
                Pod p = ParityPods.build(e.shape(), "existing-" + k++, EXISTING_SCHEDULER, ns, owner, e.node(), null);
                admin.resource(p).create();
                if (e.terminating()) {
                    terminate(p);
                }
            }
            Map<Contender, Map<String, Verdict>> pinned = new LinkedHashMap<>();
            Map<Contender, Verdict> placed = new LinkedHashMap<>();
            for (String node : ParityCluster.NAMES) {
                for (Contender who : contenders) {
                    Pod probe = ParityPods.build(
                            c.probe(),
                            probeName(who, node),
                            who.schedulerName(),
                            ns,
                            owner,
                            null,
                            ParityCluster.pinTo(node));
                    pinned.computeIfAbsent(who, w -> new LinkedHashMap<>()).put(node, prober.probe(probe));
                }
            }
            for (Contender who : contenders) {
                Pod probe = ParityPods.build(
                        c.probe(),
                        probeName(who, "any"),
                        who.schedulerName(),
                        ns,
                        owner,
                        null,
                        ParityCluster.anyNode());
                placed.put(who, prober.probe(probe));
            }
            return new Result(c, pinned, placed);
        } finally {
            cleanUp(namespaces.values());
        }
    }

    private static String probeName(Contender who, String node) {
        return who.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + node;
    }

    /** Creates the case's ReplicaSet and/or Service; returns the owner reference for owned pods (null: none). */
    private OwnerReference workload(ParityCase.Workload w, String ns, List<ParityCase.Existing> existing) {
        if (w == ParityCase.Workload.NONE) {
            return null;
        }
        admin.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(Map.of("app", "web"))
                        .addNewPort()
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        if (w == ParityCase.Workload.SERVICE) {
            return null;
        }
        int replicas = (int) existing.stream().filter(e -> e.shape().owned()).count();
        ReplicaSet rs = admin.resource(new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "web"))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "web"))
                        .endMetadata()
                        .withNewSpec()
                        .withContainers(new ContainerBuilder()
                                .withName("main")
                                .withImage("registry.k8s.io/pause:3.9")
                                .build())
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName(rs.getMetadata().getName())
                .withUid(rs.getMetadata().getUid())
                .withController(true)
                .build();
    }

    /** Graceful delete of a bound pod: without a kubelet it stays terminating until deleted with grace 0. */
    private void terminate(Pod p) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        admin.pods().inNamespace(ns).withName(name).withGracePeriod(30).delete();
        await("terminating " + name)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    Pod now = admin.pods().inNamespace(ns).withName(name).get();
                    return now != null && now.getMetadata().getDeletionTimestamp() != null;
                });
    }

    private void cleanUp(Collection<String> namespaces) {
        for (String ns : namespaces) {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            admin.apps().replicaSets().inNamespace(ns).delete();
            admin.services().inNamespace(ns).delete();
        }
        for (String ns : namespaces) {
            await("pods of " + ns + " gone")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> admin.pods().inNamespace(ns).list().getItems().isEmpty());
        }
    }
}
