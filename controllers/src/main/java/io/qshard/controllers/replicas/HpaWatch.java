package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.informer.CompactItemStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which workloads a HorizontalPodAutoscaler targets: replica hosting leaves those alone (it never fights an owner). It
 * informs on {@code autoscaling/v1}, which every apiserver serves and through which every HPA is visible whatever
 * version wrote it (one storage). A target matches a workload by namespace, kind and name, and leniently by group: a
 * reference without apiVersion matches any group, and {@code extensions} stands for {@code apps} ({@link #matches}).
 * If RBAC forbids listing HPAs, {@link #forbidden()} is true and nothing may be hosted (who owns replicas is
 * unknown); logged once. Thread-safe.
 */
final class HpaWatch implements ResourceEventHandler<HorizontalPodAutoscaler>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HpaWatch.class);

    /**
     * An HPA's target. Immutable.
     *
     * @param namespace  the HPA's namespace (its target's)
     * @param hpa        the HPA's name
     * @param uid        the HPA's uid
     * @param apiVersion {@code scaleTargetRef.apiVersion}, or null when absent
     * @param kind       {@code scaleTargetRef.kind}
     * @param name       {@code scaleTargetRef.name}
     */
    record Target(String namespace, String hpa, String uid, String apiVersion, String kind, String name) {
        /** "HorizontalPodAutoscaler shop/api". */
        String describe() {
            return "HorizontalPodAutoscaler " + namespace + "/" + hpa;
        }
    }

    private final SharedIndexInformer<HorizontalPodAutoscaler> informer;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> listed = new CompletableFuture<>();
    private volatile boolean forbidden;

    HpaWatch(KubernetesClient client) {
        this.informer = client.autoscaling()
                .v1()
                .horizontalPodAutoscalers()
                .inAnyNamespace()
                .runnableInformer(0)
                .itemStore(new CompactItemStore<>(HorizontalPodAutoscaler::new));
        informer.exceptionHandler((started, t) -> {
            if (isForbidden(t)) {
                if (!forbidden) {
                    LOG.warn("RBAC forbids listing horizontalpodautoscalers: replica hosting hosts nothing until it may"
                            + " (grant list and watch on horizontalpodautoscalers.autoscaling)");
                }
                forbidden = true;
            } else {
                LOG.warn("horizontalpodautoscalers informer: {} (retrying)", KubeconfigResolver.oneLine(t));
            }
            return true;
        });
        informer.addEventHandler(this);
    }

    /** Starts the informer. @return completes once the first list has been delivered */
    CompletableFuture<Void> start() {
        informer.start();
        return listed;
    }

    /** @return whether the HPAs have been listed (and not forbidden since) */
    boolean synced() {
        return listed.isDone() && !forbidden;
    }

    /** @return whether RBAC forbids listing HPAs (nothing may be hosted then) */
    boolean forbidden() {
        return forbidden;
    }

    /** @return the first HPA (by name) that targets {@code key}, if any */
    Optional<Target> targetedBy(WorkloadKey key) {
        return targets.values().stream().filter(t -> matches(t, key)).min(java.util.Comparator.comparing(Target::hpa));
    }

    /**
     * Whether {@code t} targets {@code key}: same namespace, kind and name; the group of its apiVersion equal to the
     * key's, where an absent apiVersion matches any group and {@code extensions} equals {@code apps}. Pure.
     */
    static boolean matches(Target t, WorkloadKey key) {
        if (!key.namespace().equals(t.namespace())
                || !key.kind().equals(t.kind())
                || !key.name().equals(t.name())) {
            return false;
        }
        if (t.apiVersion() == null || t.apiVersion().isEmpty()) {
            return true;
        }
        int slash = t.apiVersion().indexOf('/');
        String group = slash < 0 ? "" : t.apiVersion().substring(0, slash);
        return canonical(group).equals(canonical(key.group()));
    }

    private static String canonical(String group) {
        return "extensions".equals(group) ? "apps" : group;
    }

    /** The target of an HPA, or null when it names none. */
    static Target target(HorizontalPodAutoscaler h) {
        if (h.getSpec() == null || h.getSpec().getScaleTargetRef() == null) {
            return null;
        }
        var ref = h.getSpec().getScaleTargetRef();
        return new Target(
                h.getMetadata().getNamespace(),
                h.getMetadata().getName(),
                h.getMetadata().getUid(),
                ref.getApiVersion(),
                ref.getKind(),
                ref.getName());
    }

    @Override
    public void onAdd(HorizontalPodAutoscaler h) {
        Target t = target(h);
        if (t == null) {
            targets.remove(h.getMetadata().getUid());
        } else {
            targets.put(t.uid(), t);
        }
    }

    @Override
    public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler h) {
        if (old != null
                && old.getMetadata().getUid() != null
                && !old.getMetadata().getUid().equals(h.getMetadata().getUid())) {
            targets.remove(old.getMetadata().getUid());
        }
        onAdd(h);
    }

    @Override
    public void onDelete(HorizontalPodAutoscaler h, boolean finalStateUnknown) {
        targets.remove(h.getMetadata().getUid());
    }

    @Override
    public void onList(String resourceVersion, boolean nothing) {
        forbidden = false;
        listed.complete(null);
    }

    /** @return every HPA target known now */
    List<Target> all() {
        return List.copyOf(targets.values());
    }

    private static boolean isForbidden(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() == 403) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        informer.close();
    }
}
