package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerBuilder;
import io.qshard.core.replicas.WorkloadKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpaTargetsTest {
    private static final WorkloadKey ETL = new WorkloadKey("shop", "apps", "Deployment", "etl");

    @ParameterizedTest(name = "{0} {1} {2}/{3} → {4}")
    @CsvSource(
            nullValues = "-",
            value = {
                // apiVersion, kind, namespace, name, matches
                "apps/v1,            Deployment,  shop,  etl,  true",
                "apps/v1beta2,       Deployment,  shop,  etl,  true",
                "-,                  Deployment,  shop,  etl,  true", // no apiVersion: any group
                "'',                 Deployment,  shop,  etl,  true",
                "extensions/v1beta1, Deployment,  shop,  etl,  true", // extensions ≡ apps
                "v1,                 Deployment,  shop,  etl,  false", // the core group has no Deployment
                "example.com/v1,     Deployment,  shop,  etl,  false",
                "apps/v1,            StatefulSet, shop,  etl,  false",
                "apps/v1,            Deployment,  other, etl,  false",
                "apps/v1,            Deployment,  shop,  etl2, false",
            })
    void matchesByNamespaceKindNameAndLenientGroup(
            String apiVersion, String kind, String namespace, String name, boolean matches) {
        HpaWatch.Target t = new HpaWatch.Target(namespace, "h", "h-uid", apiVersion, kind, name);
        assertThat(HpaWatch.matches(t, ETL)).isEqualTo(matches);
    }

    @Test
    void extensionsMatchesAnAppsReplicaSetAndAppsMatchesExtensions() {
        WorkloadKey rs = new WorkloadKey("shop", "extensions", "ReplicaSet", "r");
        assertThat(HpaWatch.matches(new HpaWatch.Target("shop", "h", "u", "apps/v1", "ReplicaSet", "r"), rs))
                .isTrue();
    }

    @Test
    void aCustomGroupMatchesItsOwnKind() {
        WorkloadKey rollout = new WorkloadKey("shop", "argoproj.io", "Rollout", "r");
        assertThat(HpaWatch.matches(
                        new HpaWatch.Target("shop", "h", "u", "argoproj.io/v1alpha1", "Rollout", "r"), rollout))
                .isTrue();
        assertThat(HpaWatch.matches(new HpaWatch.Target("shop", "h", "u", "apps/v1", "Rollout", "r"), rollout))
                .isFalse();
    }

    @Test
    void theTargetIsReadFromAnHpaAndAnHpaWithoutRefHasNone() {
        var hpa = new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("api")
                .withUid("h-1")
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName("etl")
                .endScaleTargetRef()
                .withMaxReplicas(10)
                .endSpec()
                .build();
        HpaWatch.Target t = HpaWatch.target(hpa);
        assertThat(t).isEqualTo(new HpaWatch.Target("shop", "api", "h-1", "apps/v1", "Deployment", "etl"));
        assertThat(t.describe()).isEqualTo("HorizontalPodAutoscaler shop/api");
        assertThat(HpaWatch.matches(t, ETL)).isTrue();
        hpa.getSpec().setScaleTargetRef(null);
        assertThat(HpaWatch.target(hpa)).isNull();
    }
}
