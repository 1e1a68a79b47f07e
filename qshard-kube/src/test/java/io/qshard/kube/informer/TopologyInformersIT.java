package io.qshard.kube.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.Node;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.kube.client.ApiClients;
import io.qshard.kube.convert.PodConverter;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.ServiceAccounts;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The topology inputs on the real apiserver, through {@link ClusterInformers} as the schedulers use them: controllers',
 * Services' selectors and namespace labels reach a listener — listed at start and watched after, deleted ones as
 * null, status churn not at all — with only the scheduler manifest's RBAC; a pod's labels, pod (anti-)affinity, spread
 * constraints and deletion come through the pod reflector into {@link PodRequest}; and a scheduler whose RBAC lacks
 * those resources still starts, reports them, and picks them up once they are granted.
 */
@RealControlPlane
class TopologyInformersIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ZONE = TopologySpreadConstraint.ZONE_KEY;
    private static final String HOST = TopologySpreadConstraint.HOSTNAME_KEY;

    @Test
    void selectorsLabelsAndPodTopologyReachTheListener(KubernetesClient admin, LocalControlPlane cp) {
        String ns = labelledNamespace(admin, "topo", Map.of("team", "a"));
        ReplicaSet rs = admin.resource(replicaSet(ns, "web-rs")).create();
        StatefulSet ss = admin.resource(statefulSet(ns, "db-ss")).create();
        ReplicationController rc = admin.resource(new ReplicationControllerBuilder()
                        .withNewMetadata()
                        .withName("legacy-rc")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(0)
                        .withSelector(Map.of("app", "legacy"))
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "legacy"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        admin.resource(service(ns, "web", Map.of("app", "web"))).create();
        admin.resource(service(ns, "headless", null)).create();
        admin.resource(new io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withName("web-pdb")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(0))
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "web"))
                        .endSelector()
                        .endSpec()
                        .build())
                .create();

        Path kubeconfig = ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-scheduler", Path.of("..", "manifests", "scheduler", "rbac.yaml"));
        Recorder seen = new Recorder();
        try (KubernetesClient client = ApiClients.create(Config.fromKubeconfig(kubeconfig.toFile()), "topology-it");
                ClusterInformers informers = new ClusterInformers(client, new PodConverter(QshardConfig.defaults()))) {
            informers.addListener(seen);
            informers.start(DEADLINE);
            assertThat(informers.watchesTopology()).isTrue();
            assertThat(informers.forbiddenTopology())
                    .as("the scheduler manifest grants them")
                    .isEmpty();

            // listed at start
            String rsUid = rs.getMetadata().getUid();
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(seen.controllers)
                        .containsEntry(
                                rsUid,
                                Optional.of(LabelSelector.of(
                                        Map.of("app", "web"),
                                        List.of(new NodeSelectorRequirement(
                                                "tier", NodeSelectorRequirement.Operator.IN, List.of("front"))))))
                        .containsEntry(
                                ss.getMetadata().getUid(),
                                Optional.of(LabelSelector.of(Map.of("app", "db"), List.of())))
                        .containsEntry(
                                rc.getMetadata().getUid(),
                                Optional.of(LabelSelector.of(Map.of("app", "legacy"), List.of())));
                assertThat(seen.services)
                        .containsEntry(ns + "/web", Optional.of(Map.of("app", "web")))
                        .containsEntry(ns + "/headless", Optional.of(Map.of())); // selects no pod
                assertThat(seen.namespaces.get(ns))
                        .hasValueSatisfying(l -> assertThat(l).containsEntry("team", "a"));
                assertThat(seen.budgets.get(ns + "/web-pdb")) // policy/v1beta1 on this 1.20 apiserver
                        .hasValueSatisfying(b -> {
                            assertThat(b.selector()).isEqualTo(LabelSelector.of(Map.of("app", "web"), List.of()));
                            assertThat(b.disruptionsAllowed()).isZero();
                        });
            });

            // watched after: a label change, status churn (not delivered), deletions (null)
            admin.namespaces()
                    .withName(ns)
                    .edit(n -> new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels("env", "test")
                            .endMetadata()
                            .build());
            admin.apps().replicaSets().inNamespace(ns).withName("web-rs").editStatus(r -> {
                r.setStatus(new ReplicaSetStatusBuilder()
                        .withReplicas(0)
                        .withObservedGeneration(r.getMetadata().getGeneration())
                        .build());
                return r;
            });
            admin.apps().replicaSets().inNamespace(ns).withName("web-rs").edit(r -> {
                r.getMetadata().setAnnotations(Map.of("touched", "yes"));
                return r;
            });
            admin.apps().replicaSets().inNamespace(ns).withName("web-rs").delete();
            admin.services().inNamespace(ns).withName("web").delete();
            admin.policy()
                    .v1beta1()
                    .podDisruptionBudget()
                    .inNamespace(ns)
                    .withName("web-pdb")
                    .delete();
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(seen.budgets).containsEntry(ns + "/web-pdb", Optional.empty());
                assertThat(seen.namespaces.get(ns))
                        .hasValueSatisfying(l -> assertThat(l).containsEntry("env", "test"));
                assertThat(seen.controllers).containsEntry(rsUid, Optional.empty());
                assertThat(seen.services).containsEntry(ns + "/web", Optional.empty());
            });
            // one informer delivers in order: the deletion came after the status and annotation updates
            assertThat(seen.controllerCalls.get(rsUid).get())
                    .as("the selector once, then the deletion")
                    .isEqualTo(2);

            podTopologyRoundTrips(admin, ns, seen);
        }
    }

    private static void podTopologyRoundTrips(KubernetesClient admin, String ns, Recorder seen) {
        Pod pod = admin.resource(topologyPod(ns, "web-0", null)).create();
        String uid = pod.getMetadata().getUid();
        await().atMost(DEADLINE).until(() -> seen.pods.containsKey(uid));
        PodRequest r = seen.pods.get(uid);
        LabelSelector web = LabelSelector.of(Map.of("app", "web"), List.of());
        assertThat(r.labels()).isEqualTo(Map.of("app", "web", "version", "1"));
        assertThat(r.podAffinity())
                .isEqualTo(new PodAffinity(
                        List.of(),
                        List.of(new PodAffinity.Weighted(
                                50,
                                new PodAffinityTerm(
                                        LabelSelector.of(
                                                Map.of(),
                                                List.of(new NodeSelectorRequirement(
                                                        "app", NodeSelectorRequirement.Operator.IN, List.of("db")))),
                                        Set.of("other"),
                                        null,
                                        ZONE))),
                        List.of(new PodAffinityTerm(web, Set.of(ns), null, HOST)), // its own namespace
                        List.of()));
        assertThat(r.spread())
                .containsExactly(
                        TopologySpreadConstraint.of(1, ZONE, true, web),
                        TopologySpreadConstraint.of(3, HOST, false, LabelSelector.NOTHING));
        assertThat(r.terminating()).isFalse();

        // a bound pod (no kubelet here) is deleted gracefully: it stays, terminating
        Pod bound = admin.resource(topologyPod(ns, "web-1", "ghost-node")).create();
        String boundUid = bound.getMetadata().getUid();
        try {
            admin.pods().inNamespace(ns).withName("web-1").delete();
            await().atMost(DEADLINE)
                    .until(() -> seen.pods.containsKey(boundUid)
                            && seen.pods.get(boundUid).terminating());
            assertThat(seen.pods.get(boundUid).nodeName()).isEqualTo("ghost-node");
        } finally {
            admin.pods().inNamespace(ns).withName("web-1").withGracePeriod(0).delete();
        }
    }

    @Test
    void forbiddenResourcesCostAWarningNotStartup(KubernetesClient admin, LocalControlPlane cp) {
        // the migration loop's identity: nodes, pods and nodeusages only
        Path kubeconfig = ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-migrate", Path.of("..", "manifests", "migrate", "migrate.yaml"));
        String ns = labelledNamespace(admin, "forbidden", Map.of());
        admin.resource(service(ns, "api", Map.of("app", "api"))).create();
        Recorder seen = new Recorder();
        try (KubernetesClient client = ApiClients.create(Config.fromKubeconfig(kubeconfig.toFile()), "topology-it");
                ClusterInformers informers = new ClusterInformers(client, new PodConverter(QshardConfig.defaults()))) {
            informers.addListener(seen);
            informers.start(DEADLINE); // returns: nodes and pods are allowed
            assertThat(informers.hasSynced()).isTrue();
            assertThat(informers.forbiddenTopology())
                    .containsExactlyInAnyOrder(
                            "replicasets.apps",
                            "statefulsets.apps",
                            "replicationcontrollers",
                            "services",
                            "namespaces",
                            "poddisruptionbudgets.policy");
            assertThat(seen.services).isEmpty();

            // granted later: picked up without a restart
            admin.resource(new ClusterRoleBuilder()
                            .withNewMetadata()
                            .withName("topology-it-services")
                            .endMetadata()
                            .addNewRule()
                            .withApiGroups("")
                            .withResources("services")
                            .withVerbs("list", "watch")
                            .endRule()
                            .build())
                    .create();
            admin.resource(new ClusterRoleBindingBuilder()
                            .withNewMetadata()
                            .withName("topology-it-services")
                            .endMetadata()
                            .withNewRoleRef()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("ClusterRole")
                            .withName("topology-it-services")
                            .endRoleRef()
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName("qshard-migrate")
                            .withNamespace(LocalControlPlane.SERVICE_ACCOUNT_NAMESPACE)
                            .endSubject()
                            .build())
                    .create();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(seen.services).containsEntry(ns + "/api", Optional.of(Map.of("app", "api")));
                assertThat(informers.forbiddenTopology()).doesNotContain("services");
            });
            assertThat(informers.forbiddenTopology()).contains("namespaces");
        } finally {
            admin.rbac().clusterRoleBindings().withName("topology-it-services").delete();
            admin.rbac().clusterRoles().withName("topology-it-services").delete();
        }
    }

    private static String labelledNamespace(KubernetesClient admin, String prefix, Map<String, String> labels) {
        String ns = Namespaces.fresh(admin, prefix);
        if (!labels.isEmpty()) {
            admin.namespaces()
                    .withName(ns)
                    .edit(n -> new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels(labels)
                            .endMetadata()
                            .build());
        }
        return ns;
    }

    private static ReplicaSet replicaSet(String ns, String name) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("In")
                .withValues("front")
                .endMatchExpression()
                .endSelector()
                .withTemplate(template(Map.of("app", "web", "tier", "front")))
                .endSpec()
                .build();
    }

    /** A pod template of one busybox container with these labels. */
    private static io.fabric8.kubernetes.api.model.PodTemplateSpec template(Map<String, String> labels) {
        return new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet(String ns, String name) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withServiceName("db")
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withTemplate(template(Map.of("app", "db")))
                .endSpec()
                .build();
    }

    private static Service service(String ns, String name, Map<String, String> selector) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withSelector(selector)
                .addNewPort()
                .withPort(80)
                .withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec()
                .build();
    }

    /** Required hostname anti-affinity, preferred zone affinity to another namespace's pods, two spread constraints. */
    private static Pod topologyPod(String ns, String name, String nodeName) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(Map.of("app", "web", "version", "1"))
                .endMetadata()
                .withNewSpec()
                .withSchedulerName("qshard-prod")
                .withNodeName(nodeName)
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .withNewAffinity()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector()
                .addToMatchLabels("app", "web")
                .endLabelSelector()
                .withTopologyKey(HOST)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .withNewPodAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(50)
                .withNewPodAffinityTerm()
                .withNewLabelSelector()
                .addNewMatchExpression()
                .withKey("app")
                .withOperator("In")
                .withValues("db")
                .endMatchExpression()
                .endLabelSelector()
                .withNamespaces("other")
                .withTopologyKey(ZONE)
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity()
                .endAffinity()
                .addNewTopologySpreadConstraint()
                .withMaxSkew(1)
                .withTopologyKey(ZONE)
                .withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector()
                .addToMatchLabels("app", "web")
                .endLabelSelector()
                .endTopologySpreadConstraint()
                .addNewTopologySpreadConstraint()
                .withMaxSkew(3)
                .withTopologyKey(HOST)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .endTopologySpreadConstraint()
                .endSpec()
                .build();
    }

    /** What reached the listener; a deletion is recorded as an empty Optional. */
    private static final class Recorder implements ClusterEventListener {
        final Map<String, Optional<LabelSelector>> controllers = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> controllerCalls = new ConcurrentHashMap<>();
        final Map<String, Optional<Map<String, String>>> services = new ConcurrentHashMap<>();
        final Map<String, Optional<Map<String, String>>> namespaces = new ConcurrentHashMap<>();
        final Map<String, PodRequest> pods = new ConcurrentHashMap<>();
        final Map<String, Optional<io.qshard.core.model.DisruptionBudget>> budgets = new ConcurrentHashMap<>();

        @Override
        public void disruptionBudget(String namespace, String name, io.qshard.core.model.DisruptionBudget budget) {
            budgets.put(namespace + "/" + name, Optional.ofNullable(budget));
        }

        @Override
        public boolean readsTopology() {
            return true;
        }

        @Override
        public void controllerSelector(String namespace, String uid, LabelSelector selector) {
            controllers.put(uid, Optional.ofNullable(selector));
            controllerCalls.computeIfAbsent(uid, u -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void serviceSelector(String namespace, String key, Map<String, String> selector) {
            services.put(key, Optional.ofNullable(selector));
        }

        @Override
        public void namespaceLabels(String namespace, Map<String, String> labels) {
            namespaces.put(namespace, Optional.ofNullable(labels));
        }

        @Override
        public void nodeUpserted(Node node) {}

        @Override
        public void nodeDeleted(String name) {}

        @Override
        public void podUpserted(PodRequest pod, boolean finished, boolean deleting) {
            pods.put(pod.uid(), pod);
        }

        @Override
        public void podDeleted(String uid) {
            pods.remove(uid);
        }
    }
}
