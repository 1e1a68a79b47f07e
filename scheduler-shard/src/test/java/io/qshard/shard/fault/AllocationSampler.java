package io.qshard.shard.fault;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.model.Resources;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.shard.scheduler.SchedulerITSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples, every {@code periodMs} from informer caches of all pods and all nodes, each node whose name starts with a
 * prefix: the requests of the pods bound to it (as a kubelet counts them, {@link SchedulerITSupport#requestsOf}) against
 * its allocatable — cpu, memory, pod count and the batch pair. A node the schedulers must treat as absent (its
 * allocatable beyond 2^53) may hold nothing. Deleted nodes are not sampled. Every breach is kept with its instant.
 */
final class AllocationSampler implements AutoCloseable {
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final String prefix;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "allocation-sampler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong samples = new AtomicLong();
    private final List<String> breaches = new CopyOnWriteArrayList<>();
    /** The highest share of a node's cpu requested at a sample (shows the sampler sees placements at all). */
    private volatile double maxCpuFill;

    AllocationSampler(KubernetesClient admin, String prefix, long periodMs) {
        this.prefix = prefix;
        this.pods = admin.pods().inAnyNamespace().inform();
        this.nodes = admin.nodes().inform();
        timer.scheduleWithFixedDelay(this::sample, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Samples taken so far. */
    long samples() {
        return samples.get();
    }

    /** The highest requested/allocatable cpu share of any node at any sample so far. */
    double maxCpuFill() {
        return maxCpuFill;
    }

    /** Every breach seen ("node: what > allocatable"), in order. */
    List<String> breaches() {
        return List.copyOf(breaches);
    }

    private void sample() {
        try {
            sampleOnce();
        } catch (RuntimeException e) {
            breaches.add("sampler failed: " + e); // fails the audit rather than ending the sampling silently
        }
    }

    private void sampleOnce() {
        Map<String, Resources> used = new HashMap<>();
        for (Pod p : new ArrayList<>(pods.getStore().list())) {
            String node = p.getSpec().getNodeName();
            if (node != null && node.startsWith(prefix) && !terminal(p)) {
                used.merge(node, SchedulerITSupport.requestsOf(p), Resources::plus);
            }
        }
        for (Node n : new ArrayList<>(nodes.getStore().list())) {
            String name = n.getMetadata().getName();
            if (!name.startsWith(prefix)) {
                continue;
            }
            Resources u = used.getOrDefault(name, Resources.ZERO);
            Resources alloc;
            try {
                alloc = NodeConverter.convert(n).allocatable();
            } catch (ConversionException e) {
                if (u.pods() > 0) {
                    breaches.add(name + ": " + u.pods() + " pods on a node that must be treated as absent");
                }
                continue;
            }
            if (alloc.milliCpu() > 0) {
                maxCpuFill = Math.max(maxCpuFill, (double) u.milliCpu() / alloc.milliCpu());
            }
            if (u.milliCpu() > alloc.milliCpu()
                    || u.memoryBytes() > alloc.memoryBytes()
                    || u.pods() > alloc.pods()
                    || u.batchMilliCpu() > alloc.batchMilliCpu()
                    || u.batchMemoryBytes() > alloc.batchMemoryBytes()) {
                breaches.add(name + ": " + u + " > " + alloc);
            }
        }
        samples.incrementAndGet();
    }

    private static boolean terminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pods.close();
        nodes.close();
    }
}
