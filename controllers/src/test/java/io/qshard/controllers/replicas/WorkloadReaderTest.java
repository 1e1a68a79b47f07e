package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.kube.convert.PodConverter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadReaderTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final WorkloadReader READER = new WorkloadReader(new PodConverter(QshardConfig.defaults()), JSON);
    private static final WorkloadKind DEPLOYMENT = WorkloadKind.DEFAULTS.get(0);
    private static final WorkloadKind STATEFUL_SET = WorkloadKind.DEFAULTS.get(1);
    private static final WorkloadKind REPLICA_SET = WorkloadKind.DEFAULTS.get(2);

    private static final String HOSTED = "\"annotations\":{\"qshard.io/replica-hosting\":\"true\","
            + "\"qshard.io/replicas-max\":\"20\",\"deployment.kubernetes.io/revision\":\"3\"}";

    private static GenericKubernetesResource object(String kind, String metadataExtra, String spec) {
        return JSON.unmarshal(
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"etl\","
                        + "\"namespace\":\"shop\",\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"generation\":7,"
                        + "\"creationTimestamp\":\"2026-12-01T10:00:00Z\"" + metadataExtra + "},\"spec\":" + spec
                        + "}",
                GenericKubernetesResource.class);
    }

    private static String template(String schedulerName, String containers) {
        return "\"template\":{\"metadata\":{\"labels\":{\"app\":\"etl\"}},\"spec\":{\"schedulerName\":\""
                + schedulerName + "\"," + containers + "}}";
    }

    private static final String BATCH_CONTAINER = "\"containers\":[{\"name\":\"main\",\"image\":\"x\","
            + "\"resources\":{\"requests\":{\"qshard.io/batch-cpu\":\"1000\",\"qshard.io/batch-memory\":\"1Gi\"}}}]";

    @Test
    void aHostedDeploymentGivesItsReplicasAnnotationsAndTemplateAsAPendingPod() {
        WorkloadFacts f = READER.read(
                object(
                        "Deployment",
                        "," + HOSTED,
                        "{\"replicas\":4," + template("qshard-batch", BATCH_CONTAINER) + "}"),
                DEPLOYMENT);
        assertThat(f.key()).isEqualTo(new WorkloadKey("shop", "apps", "Deployment", "etl"));
        assertThat(f.key()).hasToString("Deployment shop/etl");
        assertThat(f.uid()).isEqualTo("u-1");
        assertThat(f.apiVersion()).isEqualTo("apps/v1");
        assertThat(f.resourceVersion()).isEqualTo("42");
        assertThat(f.generation()).isEqualTo(7);
        assertThat(f.replicas()).isEqualTo(4);
        assertThat(f.annotations())
                .as("only the replica hosting annotations are kept")
                .isEqualTo(Map.of("qshard.io/replica-hosting", "true", "qshard.io/replicas-max", "20"));
        assertThat(f.owned()).isFalse();
        assertThat(f.problem()).isNull();
        assertThat(f.created()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(f.template().tier()).isEqualTo("batch");
        assertThat(f.template().poolRule()).isEqualTo(PoolRule.BATCH_POOL);
        assertThat(f.template().requests().batchMilliCpu()).isEqualTo(1000);
        assertThat(f.template().requests().batchMemoryBytes()).isEqualTo(1L << 30);
        assertThat(f.template().nodeName()).isNull();
        assertThat(f.template().uid()).isEqualTo("u-1");
        assertThat(f.template().labels()).containsEntry("app", "etl");
    }

    @Test
    void aStatefulSetOfTheMidTierWithInitContainersCountsItsEffectiveRequests() {
        String containers = "\"initContainers\":[{\"name\":\"init\",\"image\":\"x\","
                + "\"resources\":{\"requests\":{\"cpu\":\"3\",\"memory\":\"1Gi\"}}}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":\"1\","
                + "\"memory\":\"2Gi\"}}},{\"name\":\"b\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":"
                + "\"500m\",\"memory\":\"1Gi\"}}}]";
        WorkloadFacts f = READER.read(
                object("StatefulSet", "," + HOSTED, "{\"replicas\":2," + template("qshard-mid", containers) + "}"),
                STATEFUL_SET);
        assertThat(f.key().kind()).isEqualTo("StatefulSet");
        assertThat(f.template().tier()).isEqualTo("mid");
        assertThat(f.template().requests().milliCpu())
                .as("max(init 3000, 1000 + 500)")
                .isEqualTo(3000);
        assertThat(f.template().requests().memoryBytes())
                .as("max(init 1 GiB, 2 + 1 GiB)")
                .isEqualTo(3L << 30);
    }

    @Test
    void anOwnedReplicaSetRecordsItsControllerAndIsNotConverted() {
        String owner = ",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"etl\","
                + "\"uid\":\"d-1\",\"controller\":true}]," + HOSTED;
        WorkloadFacts f = READER.read(
                object("ReplicaSet", owner, "{\"replicas\":4," + template("qshard-batch", BATCH_CONTAINER) + "}"),
                REPLICA_SET);
        assertThat(f.owned()).isTrue();
        assertThat(f.ownerKind()).isEqualTo("Deployment");
        assertThat(f.ownerUid()).isEqualTo("d-1");
        assertThat(f.template())
                .as("its annotations are the Deployment's copies: never acted on")
                .isNull();
        assertThat(f.problem()).isNull();
    }

    @Test
    void aNonControllerOwnerReferenceDoesNotOwnIt() {
        String owner = ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"c\","
                + "\"uid\":\"c-1\"}]," + HOSTED;
        WorkloadFacts f = READER.read(
                object("ReplicaSet", owner, "{\"replicas\":4," + template("qshard-batch", BATCH_CONTAINER) + "}"),
                REPLICA_SET);
        assertThat(f.owned()).isFalse();
        assertThat(f.template()).isNotNull();
    }

    @Test
    void aTemplateWithoutContainersIsAProblemNamingTheField() {
        WorkloadFacts f = READER.read(
                object(
                        "Deployment",
                        "," + HOSTED,
                        "{\"replicas\":4," + template("qshard-batch", "\"containers\":[]") + "}"),
                DEPLOYMENT);
        assertThat(f.template()).isNull();
        assertThat(f.problem()).isEqualTo("spec.template: no containers");
    }

    @Test
    void aKindWithoutTemplateIsAProblem() {
        WorkloadFacts f = READER.read(object("Deployment", "," + HOSTED, "{\"replicas\":4}"), DEPLOYMENT);
        assertThat(f.problem()).startsWith("spec.template: absent");
    }

    @Test
    void badRequestsInTheTemplateAreAProblemNotACrash() {
        String containers = "\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"requests\":"
                + "{\"cpu\":\"lots\"}}}]";
        WorkloadFacts f = READER.read(
                object("Deployment", "," + HOSTED, "{\"replicas\":4," + template("qshard-batch", containers) + "}"),
                DEPLOYMENT);
        assertThat(f.template()).isNull();
        assertThat(f.problem()).startsWith("spec.template: ");
    }

    @Test
    void absentReplicasReadAsOne() {
        WorkloadFacts f = READER.read(
                object("Deployment", "," + HOSTED, "{" + template("qshard-batch", BATCH_CONTAINER) + "}"), DEPLOYMENT);
        assertThat(f.replicas()).isEqualTo(1);
    }

    @Test
    void aCustomKindWithoutSpecReplicasIsAProblemNamingThePath() {
        WorkloadKind rollouts = new WorkloadKind("argoproj.io", "v1alpha1", "rollouts", "Rollout");
        WorkloadFacts f = READER.read(
                object("Rollout", "," + HOSTED, "{\"size\":4," + template("qshard-batch", BATCH_CONTAINER) + "}"),
                rollouts);
        assertThat(f.problem()).contains("spec.replicas is absent").contains("specReplicasPath");
        assertThat(f.template()).isNull();

        WorkloadFacts withReplicas = READER.read(
                object("Rollout", "," + HOSTED, "{\"replicas\":4," + template("qshard-batch", BATCH_CONTAINER) + "}"),
                rollouts);
        assertThat(withReplicas.problem()).isNull();
        assertThat(withReplicas.replicas()).isEqualTo(4);
    }

    @Test
    void aWorkloadWithoutHostingAnnotationsIsNotConverted() {
        WorkloadFacts f = READER.read(
                object("Deployment", "", "{\"replicas\":3," + template("qshard-batch", BATCH_CONTAINER) + "}"),
                DEPLOYMENT);
        assertThat(f.annotations()).isEmpty();
        assertThat(f.template()).isNull();
        assertThat(f.problem()).isNull();
        assertThat(f.replicas()).isEqualTo(3);
    }

    @Test
    void aProdTemplateConvertsWithItsTierForTheControllerToRefuse() {
        String containers = "\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"requests\":"
                + "{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]";
        WorkloadFacts f = READER.read(
                object("Deployment", "," + HOSTED, "{\"replicas\":2," + template("qshard-prod", containers) + "}"),
                DEPLOYMENT);
        assertThat(f.template().tier()).isEqualTo("prod");
        assertThat(f.template().poolRule()).isEqualTo(PoolRule.ALLOCATABLE);
    }
}
