package io.qshard.simulator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.write.Patches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's API writes — pod status, pod deletion, NodeUsage status, node batch resources — and their counters.
 * Called from the simulator's write pool; a failed write is counted, logged, and forgotten so the next event or tick
 * retries it. Thread-safe.
 */
public final class SimulatorWrites {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorWrites.class);

    /** Pods marked Running. */
    public final LongAdder podsStarted = new LongAdder();
    /** Terminating pods deleted. */
    public final LongAdder podsFinalised = new LongAdder();
    /** NodeUsage status writes that succeeded. */
    public final LongAdder usageWrites = new LongAdder();
    /** Node status writes of the batch resources. */
    public final LongAdder advertised = new LongAdder();
    /** API writes that failed (retried at the next event or tick). */
    public final LongAdder writeErrors = new LongAdder();

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration interval;
    private final String reporter;
    private final Set<String> started;
    private final Set<String> finalising;
    private final Map<String, Resources> lastAdvertised;
    private final Set<String> usageObjects = ConcurrentHashMap.newKeySet();
    /** Nodes whose report or advertisement could not be written since the last tick (the tick drains it). */
    final java.util.Queue<String> failedNodes = new java.util.concurrent.ConcurrentLinkedQueue<>();

    SimulatorWrites(
            KubernetesClient client,
            Clock clock,
            Duration interval,
            String reporter,
            Set<String> started,
            Set<String> finalising,
            Map<String, Resources> lastAdvertised) {
        this.client = client;
        this.clock = clock;
        this.interval = interval;
        this.reporter = reporter;
        this.started = started;
        this.finalising = finalising;
        this.lastAdvertised = lastAdvertised;
    }

    void markRunning(PodRequest pod) {
        String now = clock.instant().toString();
        String patch = "{\"status\":{\"phase\":\"Running\",\"startTime\":\"" + now + "\",\"conditions\":["
                + "{\"type\":\"PodScheduled\",\"status\":\"True\"},"
                + "{\"type\":\"Initialized\",\"status\":\"True\",\"lastTransitionTime\":\"" + now + "\"},"
                + "{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastTransitionTime\":\"" + now + "\"},"
                + "{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"" + now + "\"}]}}";
        try {
            Patches.status(client, Patches.stub(new Pod(), pod.namespace(), pod.name()), PatchType.JSON_MERGE, patch);
            podsStarted.increment();
        } catch (KubernetesClientException e) {
            started.remove(pod.uid()); // retried on the pod's next event
            if (e.getCode() != 404) {
                writeErrors.increment();
                LOG.warn("cannot mark {}/{} Running: {}", pod.namespace(), pod.name(), e.getMessage());
            }
        }
    }

    void finalise(PodRequest pod) {
        try {
            client.pods()
                    .inNamespace(pod.namespace())
                    .withName(pod.name())
                    .withGracePeriod(0)
                    .delete();
            podsFinalised.increment();
        } catch (KubernetesClientException e) {
            finalising.remove(pod.uid());
            writeErrors.increment();
            LOG.warn("cannot delete {}/{}: {}", pod.namespace(), pod.name(), e.getMessage());
        }
    }

    void writeUsage(
            String node, NodeUsageFigures f, java.util.Collection<String> tiers, Resources ceiling, Instant now) {
        try {
            if (usageObjects.add(node)) {
                NodeUsage nu = new NodeUsage();
                nu.setMetadata(new ObjectMetaBuilder().withName(node).build());
                try {
                    client.resources(NodeUsage.class).resource(nu).create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
            }
            Patches.status(
                    client,
                    Patches.stub(new NodeUsage(), null, node),
                    PatchType.JSON_MERGE,
                    UsageJson.status(f, tiers, ceiling, now, interval, reporter));
            usageWrites.increment();
        } catch (KubernetesClientException e) {
            usageObjects.remove(node);
            failedNodes.add(node);
            writeErrors.increment();
            LOG.warn("cannot write NodeUsage {}: {}", node, e.getMessage());
        }
    }

    void advertise(String node, Resources pool) {
        String cpu = Long.toString(pool.batchMilliCpu());
        String memory = Long.toString(pool.batchMemoryBytes());
        String amounts = "{\"" + ResourceNames.BATCH_CPU + "\":\"" + cpu + "\",\"" + ResourceNames.BATCH_MEMORY
                + "\":\"" + memory + "\"}";
        try {
            Patches.status(
                    client,
                    Patches.stub(new Node(), null, node),
                    PatchType.JSON_MERGE,
                    "{\"status\":{\"capacity\":" + amounts + ",\"allocatable\":" + amounts + "}}");
            advertised.increment();
        } catch (KubernetesClientException e) {
            lastAdvertised.remove(node);
            failedNodes.add(node);
            writeErrors.increment();
            LOG.warn("cannot advertise the batch pool of {}: {}", node, e.getMessage());
        }
    }
}
