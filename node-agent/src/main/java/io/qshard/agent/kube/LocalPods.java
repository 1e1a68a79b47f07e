package io.qshard.agent.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.kube.convert.Quantities;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods bound to this node, from an informer limited to it ({@code fieldSelector=spec.nodeName=<node>}, listed
 * from the apiserver's watch cache), kept as {@link LocalPod}s: uid → tier, priority, QoS class, requests, cpu
 * limit. Finished pods (Succeeded/Failed) are dropped. A pod that cannot be converted is logged, counted and skipped.
 * Thread-safe.
 */
public final class LocalPods implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPods.class);

    /** Pods skipped as malformed. */
    public final LongAdder malformed = new LongAdder();

    private final QshardConfig config;
    private final SharedIndexInformer<Pod> informer;
    private final Map<String, LocalPod> byUid = new ConcurrentHashMap<>();
    private volatile Consumer<LocalPod> onUpsert = p -> {};

    public LocalPods(KubernetesClient client, String nodeName, QshardConfig config) {
        this.config = config;
        this.informer = client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .runnableInformer(0);
        informer.exceptionHandler((started, t) -> {
            LOG.warn("pod informer: {} (retrying)", t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                upsert(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                upsert(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                byUid.remove(pod.getMetadata().getUid());
            }
        });
    }

    /** Starts the informer and waits for its first list. */
    public void start(Duration timeout) throws Exception {
        informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param listener told of every pod added or changed, on the informer's thread (must be quick and never throw)
     */
    public void onUpsert(Consumer<LocalPod> listener) {
        onUpsert = listener;
    }

    /** @return the node's pods now */
    public List<LocalPod> all() {
        return List.copyOf(byUid.values());
    }

    /** @return the pod with this uid, or null */
    public LocalPod get(String uid) {
        return byUid.get(uid);
    }

    private void upsert(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            byUid.remove(pod.getMetadata().getUid());
            return;
        }
        try {
            LocalPod p = convert(pod, config);
            byUid.put(p.uid(), p);
            onUpsert.accept(p);
        } catch (RuntimeException e) {
            malformed.increment();
            LOG.warn(
                    "skipping pod {}/{}: {}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** The agent's view of one API pod. */
    static LocalPod convert(Pod pod, QshardConfig config) {
        Tier tier =
                config.tierForSchedulerName(pod.getSpec().getSchedulerName()).orElse(null);
        Integer priority = pod.getSpec().getPriority();
        return new LocalPod(
                pod.getMetadata().getUid(),
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                tier == null ? null : tier.name(),
                priority != null ? priority : tier != null ? tier.priority() : 0,
                qos(pod),
                requests(pod),
                cpuLimitMilli(pod),
                pod.getMetadata().getDeletionTimestamp() != null);
    }

    /** The pod's QoS class: as the apiserver recorded it, else computed as the kubelet does (cpu and memory only). */
    static QosClass qos(Pod pod) {
        String recorded = pod.getStatus() == null ? null : pod.getStatus().getQosClass();
        if ("Guaranteed".equals(recorded)) {
            return QosClass.GUARANTEED;
        }
        if ("Burstable".equals(recorded)) {
            return QosClass.BURSTABLE;
        }
        if ("BestEffort".equals(recorded)) {
            return QosClass.BESTEFFORT;
        }
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : pod.getSpec().getContainers()) {
            Map<String, Quantity> req =
                    c.getResources() == null ? null : c.getResources().getRequests();
            Map<String, Quantity> lim =
                    c.getResources() == null ? null : c.getResources().getLimits();
            for (String r : List.of(ResourceNames.CPU, ResourceNames.MEMORY)) {
                Quantity rq = req == null ? null : req.get(r);
                Quantity lq = lim == null ? null : lim.get(r);
                any |= rq != null || lq != null;
                guaranteed &= lq != null && (rq == null || Quantities.milli(rq) == Quantities.milli(lq));
            }
        }
        return !any ? QosClass.BESTEFFORT : guaranteed ? QosClass.GUARANTEED : QosClass.BURSTABLE;
    }

    /** Effective requests as the kubelet admits them: max(Σ containers, max init container) + overhead. */
    static Resources requests(Pod pod) {
        long[] sum = new long[4];
        for (Container c : pod.getSpec().getContainers()) {
            add(sum, c.getResources() == null ? null : c.getResources().getRequests(), false);
        }
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                add(sum, c.getResources() == null ? null : c.getResources().getRequests(), true);
            }
        }
        add(sum, pod.getSpec().getOverhead(), false);
        return new Resources(sum[0], sum[1], 1, sum[2], sum[3]);
    }

    /**
     * The largest cpu quota the kubelet (1.20, {@code ResourceConfigForPod}) sets on one of the pod's cgroups: the
     * pod's, max(Σ container limits, largest init container limit) + overhead, when every container has a cpu limit;
     * else only the containers' own (the largest); 0 when no container has one.
     */
    static long cpuLimitMilli(Pod pod) {
        long sum = 0;
        long largest = 0;
        boolean everyContainer = true;
        for (Container c : pod.getSpec().getContainers()) {
            long limit = cpuLimit(c);
            everyContainer &= limit > 0;
            sum += limit;
            largest = Math.max(largest, limit);
        }
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                largest = Math.max(largest, cpuLimit(c));
            }
        }
        if (!everyContainer) {
            return largest;
        }
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        return Math.max(sum, largest) + (overhead == null ? 0 : milli(overhead.get(ResourceNames.CPU)));
    }

    private static long cpuLimit(Container c) {
        Map<String, Quantity> lim =
                c.getResources() == null ? null : c.getResources().getLimits();
        return lim == null ? 0 : milli(lim.get(ResourceNames.CPU));
    }

    private static void add(long[] sum, Map<String, Quantity> q, boolean max) {
        if (q == null) {
            return;
        }
        long[] one = {
            milli(q.get(ResourceNames.CPU)),
            value(q.get(ResourceNames.MEMORY)),
            value(q.get(ResourceNames.BATCH_CPU)),
            value(q.get(ResourceNames.BATCH_MEMORY))
        };
        for (int i = 0; i < 4; i++) {
            sum[i] = max ? Math.max(sum[i], one[i]) : sum[i] + one[i];
        }
    }

    private static long milli(Quantity q) {
        return q == null ? 0 : Quantities.milli(q);
    }

    private static long value(Quantity q) {
        return q == null ? 0 : Quantities.value(q);
    }

    @Override
    public void close() {
        informer.close();
    }
}
