package io.qshard.kube.write;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.kube.client.KubeconfigResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts pods through the Eviction API, so PodDisruptionBudgets hold: {@code policy/v1} where the cluster serves it
 * (Kubernetes ≥ 1.22), {@code policy/v1beta1} otherwise (1.20, the local control plane). The version is discovered
 * once. Thread-safe.
 */
public final class Evictions {
    private static final Logger LOG = LoggerFactory.getLogger(Evictions.class);

    /** How an eviction ended. */
    public enum Outcome {
        /** Accepted: the pod is being deleted. */
        EVICTED,
        /** Refused with 429: a PodDisruptionBudget does not allow it now. */
        BLOCKED_BY_BUDGET,
        /** The pod no longer exists. */
        GONE,
        /** Any other failure (logged). */
        FAILED
    }

    private final KubernetesClient client;
    private final boolean v1;

    public Evictions(KubernetesClient client) {
        this.client = client;
        this.v1 = servesPolicyV1(client);
    }

    /** @return whether evictions go through {@code policy/v1} (else {@code policy/v1beta1}) */
    public boolean usesPolicyV1() {
        return v1;
    }

    /** Asks the apiserver to evict {@code namespace/name}. */
    public Outcome evict(String namespace, String name) {
        try {
            var pod = client.pods().inNamespace(namespace).withName(name);
            boolean accepted = v1
                    ? pod.evict(new EvictionBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(namespace)
                            .endMetadata()
                            .build())
                    : pod.evict();
            return accepted ? Outcome.EVICTED : Outcome.BLOCKED_BY_BUDGET;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Outcome.GONE;
            }
            if (e.getCode() == 429) {
                return Outcome.BLOCKED_BY_BUDGET;
            }
            LOG.warn("eviction of {}/{} failed: {}", namespace, name, KubeconfigResolver.oneLine(e));
            return Outcome.FAILED;
        }
    }

    private static boolean servesPolicyV1(KubernetesClient client) {
        try {
            APIGroup policy = client.getApiGroup("policy");
            return policy != null
                    && policy.getVersions().stream()
                            .map(GroupVersionForDiscovery::getVersion)
                            .anyMatch("v1"::equals);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot discover the policy API group ({}); evicting through policy/v1beta1", e.getMessage());
            return false;
        }
    }
}
