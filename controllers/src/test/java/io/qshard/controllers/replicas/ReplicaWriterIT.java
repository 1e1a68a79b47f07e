package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scale PUT's retry on the real apiserver: a 409 caused by a write that left the replicas alone (as the
 * Deployment controller's status write after our annotation patch) is retried with a fresh resourceVersion; a 409
 * caused by someone changing the replicas is not, and their value stands.
 */
@RealControlPlane
class ReplicaWriterIT {
    private static final WorkloadKind DEPLOYMENTS = WorkloadKind.DEFAULTS.get(0);

    @Test
    void aConflictThatLeftTheReplicasAloneIsRetried(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "rw-retry");
        String staleRv = create(admin, ns, "etl", 2);
        // someone else's write that does not touch the replicas: the resourceVersion moves on
        admin.apps()
                .deployments()
                .inNamespace(ns)
                .withName("etl")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"example.com/touched\":\"yes\"}}}");

        ReplicaWriter.putScale(target(admin, ns, "etl"), scale(ns, "etl", staleRv, 5), 2);

        assertThat(replicas(admin, ns, "etl")).isEqualTo(5);
    }

    @Test
    void aConflictThatChangedTheReplicasIsNotOverwritten(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "rw-manual");
        String staleRv = create(admin, ns, "etl", 2);
        admin.apps().deployments().inNamespace(ns).withName("etl").scale(3); // a manual change meanwhile

        assertThatThrownBy(() -> ReplicaWriter.putScale(target(admin, ns, "etl"), scale(ns, "etl", staleRv, 5), 2))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(replicas(admin, ns, "etl")).isEqualTo(3);
    }

    private static String create(KubernetesClient admin, String ns, String name, int replicas) {
        Deployment d = admin.resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", name))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", name))
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
        return d.getMetadata().getResourceVersion();
    }

    private static io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.GenericKubernetesResource>
            target(KubernetesClient admin, String ns, String name) {
        return admin.genericKubernetesResources(ReplicaWriter.context(DEPLOYMENTS))
                .inNamespace(ns)
                .withName(name);
    }

    private static Scale scale(String ns, String name, String rv, int replicas) {
        return new ScaleBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(ns)
                        .withName(name)
                        .withResourceVersion(rv)
                        .build())
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .build();
    }

    private static int replicas(KubernetesClient admin, String ns, String name) {
        return admin.apps()
                .deployments()
                .inNamespace(ns)
                .withName(name)
                .get()
                .getSpec()
                .getReplicas();
    }
}
