package io.qshard.kube.informer;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.core.volume.VolumeSources;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.VolumeConverter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers of the volume objects the volume plugins read: PersistentVolumeClaims, PersistentVolumes, StorageClasses and
 * — when the cluster serves {@code storage.k8s.io/v1} CSINode — CSINodes, each converted once
 * ({@link VolumeConverter}) and delivered to every {@link ClusterEventListener} only when what scheduling reads of it
 * changed. As {@link WorkloadInformers} does, a SelfSubjectAccessReview first asks whether RBAC lets this client list
 * and watch each resource: a forbidden one does not hold up start-up, is logged once and asked about again (1 s
 * doubling to 60 s). Each change of which resources are listed, waiting or forbidden is delivered as
 * {@link VolumeSources}: while claims, PVs or classes are not listed, the scheduler refuses pods with claims (with the
 * reason) instead of binding them blindly; without CSINodes, no CSINode attach limit applies. A source is READY only
 * once its listed objects were delivered ({@link TopologyWatch}): no pod is decided on a partial catalog at start-up.
 * Thread-safe.
 */
final class VolumeInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeInformers.class);
    private static final String CLAIMS = "pods with PersistentVolumeClaims (they stay pending)";
    private static final long MAX_RECHECK_MS = 60_000;

    private final KubernetesClient client;
    private final List<ClusterEventListener> to;
    private final TopologyWatch<PersistentVolumeClaim, io.qshard.core.volume.VolumeClaim> claims;
    private final TopologyWatch<PersistentVolume, io.qshard.core.volume.PersistentVolume> volumes;
    private final TopologyWatch<StorageClass, io.qshard.core.volume.StorageClass> classes;
    private final Consumer<ConversionException> skip;
    /** Made by {@link #start} (which asks the cluster whether it serves CSINode); null before, or when it does not. */
    private volatile TopologyWatch<CSINode, io.qshard.core.volume.CsiNodeLimits> csiNodes;

    private final List<TopologyWatch<?, ?>> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService rbac = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qshard-volume-rbac");
        t.setDaemon(true);
        return t;
    });
    /** Past the start-up wait: a resource found forbidden from now on logs its own warning. */
    private volatile boolean started;

    private VolumeSources delivered;

    VolumeInformers(KubernetesClient c, List<ClusterEventListener> to, Consumer<ConversionException> skip) {
        this.client = c;
        this.to = to;
        this.skip = skip;
        this.claims = new TopologyWatch<>(
                "",
                "persistentvolumeclaims",
                CLAIMS,
                c.persistentVolumeClaims().inAnyNamespace().runnableInformer(0),
                PersistentVolumeClaim::new,
                VolumeConverter::claim,
                (pvc, v) -> to.forEach(l -> l.claim(
                        pvc.getMetadata().getNamespace(), pvc.getMetadata().getName(), v)),
                skip,
                this::forbid);
        this.volumes = new TopologyWatch<>(
                "",
                "persistentvolumes",
                CLAIMS,
                c.persistentVolumes().runnableInformer(0),
                PersistentVolume::new,
                VolumeConverter::volume,
                (pv, v) -> to.forEach(l -> l.persistentVolume(pv.getMetadata().getName(), v)),
                skip,
                this::forbid);
        this.classes = new TopologyWatch<>(
                "storage.k8s.io",
                "storageclasses",
                CLAIMS,
                c.storage().v1().storageClasses().runnableInformer(0),
                StorageClass::new,
                VolumeConverter::storageClass,
                (sc, v) -> to.forEach(l -> l.storageClass(sc.getMetadata().getName(), v)),
                skip,
                this::forbid);
        watched.add(claims);
        watched.add(volumes);
        watched.add(classes);
        watched.forEach(w -> w.onStateChange(this::deliverSources));
    }

    private static boolean servesCsiNode(KubernetesClient c) {
        try {
            return c.supports(CSINode.class);
        } catch (RuntimeException e) {
            LOG.warn("cannot discover CSINode: {}", KubeconfigResolver.oneLine(e));
            return false;
        }
    }

    /**
     * Starts every informer RBAC allows (CSINodes' only if the cluster serves them); completes when each has listed or
     * was found forbidden.
     */
    CompletableFuture<Void> start() {
        if (servesCsiNode(client)) {
            csiNodes = new TopologyWatch<>(
                    "storage.k8s.io",
                    "csinodes",
                    "the CSI attach limits CSINodes report",
                    client.storage().v1().csiNodes().runnableInformer(0),
                    CSINode::new,
                    VolumeConverter::csiNode,
                    (n, v) -> to.forEach(l -> l.csiNode(n.getMetadata().getName(), v)),
                    skip,
                    this::forbid);
            csiNodes.onStateChange(this::deliverSources);
            watched.add(csiNodes);
        } else {
            LOG.info("the cluster does not serve storage.k8s.io/v1 CSINode: no CSI attach limit applies");
        }
        deliverSources();
        watched.forEach(w -> rbac.execute(() -> check(w, 1_000)));
        return CompletableFuture.allOf(watched.stream().map(w -> w.settled).toArray(CompletableFuture[]::new));
    }

    /** Ends the start-up wait: the resources forbidden so far are named in one warning, later ones each in theirs. */
    void startupDone() {
        started = true;
        List<TopologyWatch<?, ?>> denied =
                watched.stream().filter(w -> w.forbidden && !w.warned).toList();
        denied.forEach(w -> w.warned = true);
        if (!denied.isEmpty()) {
            LOG.warn(
                    "RBAC forbids this scheduler to list/watch {}: no scheduling of {}; grant list and watch on them "
                            + "(manifests/scheduler/rbac.yaml) — they are retried and used once allowed",
                    denied.stream().map(w -> w.resource).toList(),
                    denied.stream().map(w -> w.loses).distinct().toList());
        }
    }

    /** The state of each volume source now. */
    VolumeSources sources() {
        return new VolumeSources(
                state(claims),
                state(volumes),
                state(classes),
                csiNodes == null ? VolumeSources.State.UNSERVED : state(csiNodes));
    }

    /** Resources neither listed yet nor found forbidden. */
    List<String> unsettled() {
        return watched.stream()
                .filter(w -> !w.settled.isDone())
                .map(w -> w.resource)
                .toList();
    }

    /** Resources RBAC currently keeps this client from watching. */
    List<String> forbidden() {
        return watched.stream()
                .filter(w -> w.forbidden && !w.informer.isWatching())
                .map(w -> w.resource)
                .toList();
    }

    /** READY only once the watch has delivered its list ({@link TopologyWatch#listed}), not when its store is full. */
    private static VolumeSources.State state(TopologyWatch<?, ?> w) {
        if (w.forbidden && !w.informer.isWatching()) {
            return VolumeSources.State.FORBIDDEN;
        }
        return w.listed ? VolumeSources.State.READY : VolumeSources.State.WAITING;
    }

    /**
     * Delivers the sources' state when it changed (any thread; one at a time). A source turns READY on its watch's
     * handler thread after that thread gave every listed object to the listeners, so in a listener's inbox they come
     * first; a READY another source's thread delivers after reading the (volatile) flag is ordered after them too.
     */
    private synchronized void deliverSources() {
        VolumeSources now = sources();
        if (!now.equals(delivered)) {
            delivered = now;
            to.forEach(l -> l.volumeSources(now));
        }
    }

    /** On the RBAC thread: starts {@code w}'s informer if RBAC allows it, otherwise asks again in {@code delayMs}. */
    private void check(TopologyWatch<?, ?> w, long delayMs) {
        Boolean allowed = allowed(w.group, w.plural);
        if (rbac.isShutdown()) {
            return;
        }
        if (!Boolean.FALSE.equals(allowed)) {
            w.start();
            return;
        }
        forbid(w);
        try {
            rbac.schedule(() -> check(w, Math.min(2 * delayMs, MAX_RECHECK_MS)), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void forbid(TopologyWatch<?, ?> w) {
        if (w.deny() && started) {
            w.warned = true;
            LOG.warn(
                    "RBAC forbids this scheduler to list/watch {}: no scheduling of {}; grant list and watch "
                            + "(manifests/scheduler/rbac.yaml) — retried and used once allowed",
                    w.resource,
                    w.loses);
        }
    }

    /**
     * Whether RBAC lets this client list and watch {@code group/plural} cluster-wide; null when it cannot tell (the
     * same question {@link WorkloadInformers} asks).
     */
    private Boolean allowed(String group, String plural) {
        try {
            for (String verb : List.of("list", "watch")) {
                SelfSubjectAccessReview r = client.authorization()
                        .v1()
                        .selfSubjectAccessReview()
                        .create(new SelfSubjectAccessReviewBuilder()
                                .withNewSpec()
                                .withNewResourceAttributes()
                                .withVerb(verb)
                                .withGroup(group)
                                .withResource(plural)
                                .endResourceAttributes()
                                .endSpec()
                                .build());
                if (r.getStatus() == null || !Boolean.TRUE.equals(r.getStatus().getAllowed())) {
                    return false;
                }
            }
            return true;
        } catch (KubernetesClientException e) {
            LOG.debug("cannot ask whether {} may be watched: {}", plural, KubeconfigResolver.oneLine(e));
            return null;
        }
    }

    @Override
    public void close() {
        rbac.shutdownNow();
        watched.forEach(w -> w.informer.close());
    }
}
