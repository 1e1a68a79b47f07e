package io.qshard.cli.parity;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.PodFixture;
import java.time.Duration;
import java.util.Map;

/**
 * A sync point between the test's writes of bound pods and a scheduler's cache of them. kube-scheduler 1.20 feeds its
 * cache and its queue from two listeners of one pod informer, each with its own goroutine, so a preemptor created right
 * after an existing pod's status write can be scheduled against a cache that has not applied the write yet (seen: the
 * {@code latest-start} case picked a node as if a victim had no start time). The barrier: one more bound pod (written
 * after every existing pod and status) on a node outside every case, then a probe pod of the contender's scheduler
 * that only fits with required pod affinity to it. The cache applies bound-pod events in order, so once the probe is
 * bound, every earlier write is in the cache. Not thread-safe; pods live in the case's namespace and go with it.
 */
final class CacheBarrier {
    private static final String LABEL = "qshard.io/cache-barrier";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final KubernetesClient admin;
    private final String node;
    private final String nodeLabelKey;
    private final String nodeLabelValue;

    /**
     * @param node the node the barrier and probe pods go to (bound directly / by node selector; it must be
     *     labelled {@code nodeLabelKey=nodeLabelValue} and have room for two pods of 10m)
     */
    CacheBarrier(KubernetesClient admin, String node, String nodeLabelKey, String nodeLabelValue) {
        this.admin = admin;
        this.node = node;
        this.nodeLabelKey = nodeLabelKey;
        this.nodeLabelValue = nodeLabelValue;
    }

    /** Returns once the scheduler called {@code schedulerName} bound a probe that needs the barrier in its cache. */
    void pass(String ns, String schedulerName) {
        Pod barrier = new PodBuilder(PodFixture.pod("cache-barrier")
                        .namespace(ns)
                        .tier("prod")
                        .schedulerName("default-scheduler")
                        .cpuMilli(10)
                        .memoryMi(8)
                        .label(LABEL, ns)
                        .build())
                .editSpec()
                .withNodeName(node)
                .withTerminationGracePeriodSeconds(0L)
                .endSpec()
                .build();
        admin.resource(barrier).create();
        Pod probe = new PodBuilder(PodFixture.pod("cache-probe")
                        .namespace(ns)
                        .tier("prod")
                        .schedulerName(schedulerName)
                        .cpuMilli(10)
                        .memoryMi(8)
                        .build())
                .editSpec()
                .withNodeSelector(Map.of(nodeLabelKey, nodeLabelValue))
                .withTerminationGracePeriodSeconds(0L)
                .withNewAffinity()
                .withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
                        .withLabelSelector(new LabelSelectorBuilder()
                                .withMatchLabels(Map.of(LABEL, ns))
                                .build())
                        .withTopologyKey(nodeLabelKey)
                        .build())
                .endPodAffinity()
                .endAffinity()
                .endSpec()
                .build();
        admin.resource(probe).create();
        await("cache barrier of " + ns + " passed by " + schedulerName)
                .atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Pod p = admin.pods().inNamespace(ns).withName("cache-probe").get();
                    return p != null && node.equals(p.getSpec().getNodeName());
                });
        admin.pods().inNamespace(ns).withName("cache-probe").withGracePeriod(0).delete();
    }
}
