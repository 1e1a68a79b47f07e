package io.qshard.cli.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.core.replicas.HostingSpec;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code manifests/} as an operator installs it: rendered by kubectl 1.20's kustomize, applied to the real apiserver
 * (server-side dry run, then for real, then again: idempotent); the RBAC each component gets is exactly what it uses
 * ({@link RbacNeeds}): the rules of its bindings expand to that set and nothing more, and the apiserver's own
 * SubjectAccessReview allows every needed verb and denies a sample of others. The examples pass a server-side dry run.
 */
@RealControlPlane
class ManifestsIT {
    private static final Path MANIFESTS = Path.of("..", "manifests");
    private static final Set<String> DOTLESS_GROUPS = Set.of("apps", "policy", "autoscaling");

    @Test
    void appliesCleanlyAndGrantsEachComponentExactlyWhatItUses(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        Kubectl kubectl = new Kubectl(cp.kubeconfig());
        Kubectl.Result rendered = kubectl.run("kustomize", MANIFESTS.toString());
        assertThat(rendered.exitCode()).as(rendered.output()).isZero();
        List<HasMetadata> objects = admin.load(
                        new ByteArrayInputStream(rendered.output().getBytes(StandardCharsets.UTF_8)))
                .items();
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .contains(
                        "Namespace",
                        "CustomResourceDefinition",
                        "PriorityClass",
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Deployment",
                        "DaemonSet",
                        "Service",
                        "MutatingWebhookConfiguration",
                        "ConfigMap");
        try {
            // a namespaced object's dry run needs its namespace: create it first, as `kubectl create ns` would
            assertOk(kubectl.run(
                    "apply", "-f", MANIFESTS.resolve("namespace.yaml").toString()));
            assertOk(kubectl.run("apply", "-k", MANIFESTS.toString(), "--dry-run=server"));
            assertOk(kubectl.run("apply", "-k", MANIFESTS.toString()));
            assertOk(kubectl.run("apply", "-k", MANIFESTS.toString()));
            assertThat(admin.configMaps()
                            .inNamespace(RbacNeeds.NAMESPACE)
                            .list()
                            .getItems())
                    .anySatisfy(c -> assertThat(c.getData()).containsKey("qshard.yaml"));

            for (String component : RbacNeeds.COMPONENTS) {
                Set<String> granted = granted(objects, component);
                assertThat(granted)
                        .as("RBAC granted to %s (verb group/resource namespace)", component)
                        .isEqualTo(RbacNeeds.of(component));
                for (String need : RbacNeeds.of(component)) {
                    assertThat(allowed(admin, component, need))
                            .as("%s may %s", component, need)
                            .isTrue();
                }
                for (String other : RbacNeeds.SHOULD_BE_DENIED) {
                    if (!RbacNeeds.of(component).contains(other)) {
                        assertThat(allowed(admin, component, other))
                                .as("%s may not %s", component, other)
                                .isFalse();
                    }
                }
            }

            String ns = Namespaces.fresh(admin, "examples");
            try (Stream<Path> files = Files.list(MANIFESTS.resolve("examples"))) {
                for (Path f : files.sorted().toList()) {
                    assertOk(kubectl.run("apply", "-n", ns, "-f", f.toString(), "--dry-run=server"));
                    String tier = f.getFileName().toString().replace(".yaml", "");
                    List<HasMetadata> ex = admin.load(Files.newInputStream(f)).items();
                    assertThat(ex).extracting(HasMetadata::getKind).containsExactly("Pod", "Deployment");
                    Pod pod = (Pod) ex.get(0);
                    assertThat(pod.getSpec().getSchedulerName()).isEqualTo("qshard-" + tier);
                    assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("qshard-" + tier);
                    if ("batch".equals(tier)) { // the example of replica hosting's annotations: valid, min 1, max 10
                        var hosting = HostingAnnotations.parse(
                                ex.get(1).getMetadata().getAnnotations(), HostingSettings.DEFAULT_MAX_REPLICAS_CAP);
                        assertThat(hosting.problem()).isNull();
                        assertThat(hosting.spec()).isEqualTo(new HostingSpec(true, 1, 10));
                    }
                }
            }
        } finally {
            // nothing else in this JVM should meet a webhook without a server, or scheduler Deployments
            admin.admissionRegistration()
                    .v1()
                    .mutatingWebhookConfigurations()
                    .withName("qshard-oversale")
                    .delete();
            admin.apps().deployments().inNamespace(RbacNeeds.NAMESPACE).delete();
            admin.apps().daemonSets().inNamespace(RbacNeeds.NAMESPACE).delete();
        }
    }

    private static void assertOk(Kubectl.Result r) {
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** "verb group/resource[/sub] namespace-or-*" for every rule bound to the component's ServiceAccount. */
    private static Set<String> granted(List<HasMetadata> objects, String sa) {
        Set<String> out = new TreeSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b && bindsTo(b.getSubjects(), sa)) {
                out.addAll(expand(rules(objects, b.getRoleRef(), null), "*"));
            } else if (o instanceof RoleBinding b && bindsTo(b.getSubjects(), sa)) {
                out.addAll(expand(
                        rules(objects, b.getRoleRef(), b.getMetadata().getNamespace()),
                        b.getMetadata().getNamespace()));
            }
        }
        return out;
    }

    private static boolean bindsTo(List<Subject> subjects, String sa) {
        return subjects.stream()
                .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && sa.equals(s.getName())
                        && RbacNeeds.NAMESPACE.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
        for (HasMetadata o : objects) {
            if (o.getMetadata().getName().equals(ref.getName())) {
                if ("ClusterRole".equals(ref.getKind()) && o instanceof ClusterRole r) {
                    return r.getRules();
                }
                if ("Role".equals(ref.getKind())
                        && o instanceof Role r
                        && namespace.equals(r.getMetadata().getNamespace())) {
                    return r.getRules();
                }
            }
        }
        throw new AssertionError("binding to a missing " + ref.getKind() + " " + ref.getName());
    }

    private static Set<String> expand(List<PolicyRule> rules, String scope) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule r : rules) {
            assertThat(r.getResourceNames()).as("no resourceNames in %s", r).isNullOrEmpty();
            assertThat(r.getNonResourceURLs()).as("no nonResourceURLs in %s", r).isNullOrEmpty();
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        assertThat(List.of(g, res, v)).as("no wildcards").doesNotContain("*");
                        out.add(v + " " + (g.isEmpty() ? "" : g + "/") + res + " " + scope);
                    }
                }
            }
        }
        return out;
    }

    /** Asks the apiserver whether the ServiceAccount may do {@code need} ("verb group/resource[/sub] ns-or-*"). */
    private static boolean allowed(KubernetesClient admin, String sa, String need) {
        String[] f = need.split(" ");
        String[] path = f[1].split("/");
        // apps, policy and autoscaling: the dotless groups granted
        boolean core = !path[0].contains(".") && !DOTLESS_GROUPS.contains(path[0]);
        String group = core ? "" : path[0];
        String resource = core ? path[0] : path[1];
        String sub = core ? (path.length > 1 ? path[1] : null) : (path.length > 2 ? path[2] : null);
        SubjectAccessReview r = admin.authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(LocalControlPlane.serviceAccountUser(sa))
                        .withGroups(
                                "system:serviceaccounts",
                                "system:serviceaccounts:" + RbacNeeds.NAMESPACE,
                                "system:authenticated")
                        .withNewResourceAttributes()
                        .withVerb(f[0])
                        .withGroup(group)
                        .withResource(resource)
                        .withSubresource(sub)
                        .withNamespace("*".equals(f[2]) ? null : f[2])
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return r.getStatus().getAllowed();
    }
}
