package io.qshard.kube.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.LabelSelector;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.DisruptionBudgetConverter;
import io.qshard.kube.convert.WorkloadConverter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers of what the topology plugins read besides pods and nodes: the selectors of ReplicaSets, StatefulSets,
 * ReplicationControllers and Services (kube-scheduler's default spread constraints) and the labels of Namespaces
 * (pod affinity {@code namespaceSelector}s), and PodDisruptionBudgets (preemption). Objects are kept compact ({@link CompactItemStore}), converted once and
 * delivered to every {@link ClusterEventListener} only when what a listener sees changes — a ReplicaSet's status
 * updates reach nobody. Before an informer starts, a SelfSubjectAccessReview (allowed to every authenticated user)
 * asks whether RBAC lets this client list and watch its resource: a resource it forbids does not hold up the others
 * or startup — it counts as settled, is reported by {@link #forbidden()} and logged once, and is asked about again
 * quietly (1 s doubling to 60 s), its informer starting as soon as the permission is granted. Thread-safe.
 */
final class WorkloadInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadInformers.class);
    private static final String SPREAD = "the default topology spread constraints";
    private static final long MAX_RECHECK_MS = 60_000;

    private final KubernetesClient client;
    private final List<TopologyWatch<?, ?>> watched;
    private final ScheduledExecutorService rbac = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qshard-topology-rbac");
        t.setDaemon(true);
        return t;
    });
    /** Past the start-up wait: a resource found forbidden from now on logs its own warning. */
    private volatile boolean started;

    WorkloadInformers(KubernetesClient c, List<ClusterEventListener> to, Consumer<ConversionException> skip) {
        this.client = c;
        this.watched = List.of(
                new TopologyWatch<ReplicaSet, LabelSelector>(
                        "apps",
                        "replicasets",
                        SPREAD,
                        c.apps().replicaSets().inAnyNamespace().runnableInformer(0),
                        ReplicaSet::new,
                        rs -> WorkloadConverter.selector(
                                rs.getSpec() == null ? null : rs.getSpec().getSelector(), what("replicaset", rs)),
                        (rs, s) -> to.forEach(l -> l.controllerSelector(
                                rs.getMetadata().getNamespace(),
                                rs.getMetadata().getUid(),
                                s)),
                        skip,
                        this::forbid),
                new TopologyWatch<StatefulSet, LabelSelector>(
                        "apps",
                        "statefulsets",
                        SPREAD,
                        c.apps().statefulSets().inAnyNamespace().runnableInformer(0),
                        StatefulSet::new,
                        ss -> WorkloadConverter.selector(
                                ss.getSpec() == null ? null : ss.getSpec().getSelector(), what("statefulset", ss)),
                        (ss, s) -> to.forEach(l -> l.controllerSelector(
                                ss.getMetadata().getNamespace(),
                                ss.getMetadata().getUid(),
                                s)),
                        skip,
                        this::forbid),
                new TopologyWatch<ReplicationController, LabelSelector>(
                        "",
                        "replicationcontrollers",
                        SPREAD,
                        c.replicationControllers().inAnyNamespace().runnableInformer(0),
                        ReplicationController::new,
                        rc -> WorkloadConverter.selector(
                                rc.getSpec() == null ? null : rc.getSpec().getSelector()),
                        (rc, s) -> to.forEach(l -> l.controllerSelector(
                                rc.getMetadata().getNamespace(),
                                rc.getMetadata().getUid(),
                                s)),
                        skip,
                        this::forbid),
                new TopologyWatch<Service, Map<String, String>>(
                        "",
                        "services",
                        SPREAD,
                        c.services().inAnyNamespace().runnableInformer(0),
                        Service::new,
                        svc -> labels(
                                svc.getSpec() == null ? null : svc.getSpec().getSelector()),
                        (svc, s) -> to.forEach(l -> l.serviceSelector(
                                svc.getMetadata().getNamespace(), Cache.metaNamespaceKeyFunc(svc), s)),
                        skip,
                        this::forbid),
                new TopologyWatch<Namespace, Map<String, String>>(
                        "",
                        "namespaces",
                        "the namespace labels pod affinity namespaceSelectors match",
                        c.namespaces().runnableInformer(0),
                        Namespace::new,
                        ns -> labels(ns.getMetadata().getLabels()),
                        (ns, s) -> to.forEach(
                                l -> l.namespaceLabels(ns.getMetadata().getName(), s)),
                        skip,
                        this::forbid),
                budgets(c, to, skip));
    }

    /**
     * PodDisruptionBudgets for preemption, {@code policy/v1} where the apiserver serves it (1.21+), else
     * {@code policy/v1beta1} (a 1.20 apiserver); asked once, at construction (API discovery).
     */
    private TopologyWatch<?, ?> budgets(
            KubernetesClient c, List<ClusterEventListener> to, Consumer<ConversionException> skip) {
        String loses = "PodDisruptionBudgets in preemption (victims chosen as if there were none)";
        if (servesV1(c)) {
            return new TopologyWatch<io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget, DisruptionBudget>(
                    "policy",
                    "poddisruptionbudgets",
                    loses,
                    c.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0),
                    io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget::new,
                    DisruptionBudgetConverter::of,
                    (pdb, b) -> to.forEach(l -> l.disruptionBudget(
                            pdb.getMetadata().getNamespace(), pdb.getMetadata().getName(), b)),
                    skip,
                    this::forbid);
        }
        return new TopologyWatch<io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget, DisruptionBudget>(
                "policy",
                "poddisruptionbudgets",
                loses,
                c.policy().v1beta1().podDisruptionBudget().inAnyNamespace().runnableInformer(0),
                io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget::new,
                DisruptionBudgetConverter::of,
                (pdb, b) -> to.forEach(l -> l.disruptionBudget(
                        pdb.getMetadata().getNamespace(), pdb.getMetadata().getName(), b)),
                skip,
                this::forbid);
    }

    private static boolean servesV1(KubernetesClient c) {
        try {
            return c.supports(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);
        } catch (KubernetesClientException e) {
            LOG.debug("cannot tell whether policy/v1 is served: {}", KubeconfigResolver.oneLine(e));
            return false;
        }
    }

    /** Starts every informer RBAC allows; completes when each has delivered its first list or was found forbidden. */
    CompletableFuture<Void> start() {
        watched.forEach(w -> rbac.execute(() -> check(w, 1_000)));
        return CompletableFuture.allOf(watched.stream().map(w -> w.settled).toArray(CompletableFuture[]::new));
    }

    /** Ends the start-up wait: the resources forbidden so far are named in one warning, later ones each in theirs. */
    void startupDone() {
        started = true;
        List<TopologyWatch<?, ?>> denied =
                watched.stream().filter(w -> w.forbidden && !w.warned).toList();
        denied.forEach(w -> w.warned = true);
        if (!denied.isEmpty()) {
            LOG.warn(
                    "RBAC forbids this scheduler to list/watch {}: scheduling goes on without {}; grant list and "
                            + "watch on them (manifests/scheduler/rbac.yaml) — they are retried and used once allowed",
                    denied.stream().map(w -> w.resource).toList(),
                    denied.stream().map(w -> w.loses).distinct().toList());
        }
    }

    /** Resources ({@code replicasets.apps}, {@code namespaces}…) RBAC currently keeps this client from watching. */
    List<String> forbidden() {
        return watched.stream()
                .filter(w -> w.forbidden && !w.informer.isWatching())
                .map(w -> w.resource)
                .toList();
    }

    /** Resources neither listed yet nor found forbidden. */
    List<String> unsettled() {
        return watched.stream()
                .filter(w -> !w.settled.isDone())
                .map(w -> w.resource)
                .toList();
    }

    /** On the RBAC thread: starts {@code w}'s informer if RBAC allows it, otherwise asks again in {@code delayMs}. */
    private void check(TopologyWatch<?, ?> w, long delayMs) {
        Boolean allowed = allowed(w.group, w.plural);
        if (rbac.isShutdown()) {
            return; // closed meanwhile
        }
        if (!Boolean.FALSE.equals(allowed)) {
            w.start();
            return;
        }
        forbid(w);
        try {
            rbac.schedule(() -> check(w, Math.min(2 * delayMs, MAX_RECHECK_MS)), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** {@code w} is forbidden: settled, and warned about now unless start-up is still waiting (one warning then). */
    private void forbid(TopologyWatch<?, ?> w) {
        if (w.deny() && started) {
            w.warned = true;
            LOG.warn(
                    "RBAC forbids this scheduler to list/watch {}: scheduling goes on without {}; grant list and watch "
                            + "(manifests/scheduler/rbac.yaml) — retried and used once allowed",
                    w.resource,
                    w.loses);
        }
    }

    @Override
    public void close() {
        rbac.shutdownNow();
        watched.forEach(w -> w.informer.close());
    }

    /** Whether RBAC lets this client list and watch {@code group/plural} cluster-wide; null when it cannot tell. */
    private Boolean allowed(String group, String plural) {
        try {
            for (String verb : List.of("list", "watch")) {
                SelfSubjectAccessReview r = client.authorization()
                        .v1()
                        .selfSubjectAccessReview()
                        .create(new SelfSubjectAccessReviewBuilder()
                                .withNewSpec()
                                .withNewResourceAttributes()
                                .withVerb(verb)
                                .withGroup(group)
                                .withResource(plural)
                                .endResourceAttributes()
                                .endSpec()
                                .build());
                if (r.getStatus() == null || !Boolean.TRUE.equals(r.getStatus().getAllowed())) {
                    return false;
                }
            }
            return true;
        } catch (KubernetesClientException e) {
            LOG.debug("cannot ask whether {} may be watched: {}", plural, KubeconfigResolver.oneLine(e));
            return null; // the informer finds out itself, and retries
        }
    }

    private static String what(String kind, HasMetadata o) {
        return kind + " " + Cache.metaNamespaceKeyFunc(o) + " spec.selector";
    }

    private static Map<String, String> labels(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>(m);
        copy.values().removeIf(Objects::isNull);
        return Map.copyOf(copy);
    }
}
