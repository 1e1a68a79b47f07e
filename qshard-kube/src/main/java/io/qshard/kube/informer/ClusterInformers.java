package io.qshard.kube.informer;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.model.PodRequest;
import io.qshard.core.usage.UsageReport;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.kube.convert.NodeUsageConverter;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.convert.RawPod;
import io.qshard.kube.process.UserError;
import io.qshard.kube.write.ObjectEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node informer and the pod reflector of one process, shared by its tier schedulers. Both list from the
 * apiserver's watch cache ({@code resourceVersion=0}, no {@code limit}: paged or unversioned lists go through
 * to etcd) and keep only compact state: the node informer a {@link CompactItemStore}, the pod reflector
 * ({@link PodReflector}) the decoded fields of each pod and nothing else. Each object is converted once at
 * this edge and the core records fan out to every {@link ClusterEventListener}. A malformed object is
 * logged, counted and skipped, with a Warning Event ({@code QshardMalformed}) on a Node or NodeUsage; a Node that turns
 * malformed is treated as deleted (nothing more is placed on it) until it reports sane figures; a bound pod with invalid topology fields is logged, counted and kept without them
 * ({@link PodConverter#convert(RawPod, Consumer)}). Both retry forever: an apiserver restart or a 410 Gone re-list never stops them.
 * When the cluster serves the {@code NodeUsage} CRD a third informer delivers usage reports (listed the same
 * way); without it every node stays on the conservative view and a warning says so once. When a listener
 * {@link ClusterEventListener#readsTopology() reads topology}, {@link WorkloadInformers} also deliver controllers' and
 * Services' selectors and namespace labels; start-up waits for their first lists too, but a resource RBAC forbids
 * only costs a warning (and missing start-up's deadline only a warning, once nodes and pods are in). When a listener
 * {@link ClusterEventListener#readsVolumes() reads volumes}, {@link VolumeInformers} deliver claims, PVs, classes and
 * CSINode limits the same way. Thread-safe.
 */
public final class ClusterInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInformers.class);

    private final List<ClusterEventListener> listeners = new CopyOnWriteArrayList<>();
    private final PodConverter pods;
    private final SharedIndexInformer<Node> nodeInformer;
    private final PodReflector podReflector;
    private final SharedIndexInformer<NodeUsage> usageInformer;
    private final WorkloadInformers workloads;
    private final VolumeInformers volumes;
    private volatile boolean watchesTopology;
    private volatile boolean watchesVolumes;
    private final AtomicInteger lists = new AtomicInteger();
    private final LongAdder malformed = new LongAdder();
    /** Warning Events about refused nodes and usage reports. */
    private final ObjectEvents events;

    private final LongAdder podsSeen = new LongAdder();
    /** Where the converter reports a bound pod kept without its invalid topology fields. */
    private final Consumer<String> degraded = w -> {
        malformed.increment();
        LOG.warn("{}", w);
    };

    public ClusterInformers(KubernetesClient client, PodConverter pods) {
        this.pods = pods;
        this.events = new ObjectEvents(client, "qshard-scheduler", Clock.systemUTC());
        this.nodeInformer = client.nodes().runnableInformer(0).itemStore(new CompactItemStore<>(Node::new));
        this.podReflector = new PodReflector(client, new PodSink());
        nodeInformer.exceptionHandler((started, t) -> retry("nodes", t));
        nodeInformer.addEventHandler(new NodeHandler());
        this.workloads = new WorkloadInformers(client, listeners, this::skip); // started only if a listener reads them
        this.volumes = new VolumeInformers(client, listeners, this::skip); // likewise
        if (servesNodeUsage(client)) {
            this.usageInformer = client.resources(NodeUsage.class).runnableInformer(0);
            usageInformer.exceptionHandler((started, t) -> retry("nodeusages", t));
            usageInformer.addEventHandler(new UsageHandler());
        } else {
            this.usageInformer = null;
            LOG.warn(
                    "the cluster does not serve {}/{} NodeUsage (manifests/crds/nodeusage.yaml): every node keeps "
                            + "the conservative view (usage = requests)",
                    NodeUsage.GROUP,
                    NodeUsage.VERSION);
        }
    }

    private static boolean servesNodeUsage(KubernetesClient client) {
        try {
            return client.supports(NodeUsage.class);
        } catch (RuntimeException e) {
            LOG.warn("cannot discover NodeUsage: {}", KubeconfigResolver.oneLine(e));
            return false;
        }
    }

    public void addListener(ClusterEventListener l) {
        listeners.add(l);
    }

    /**
     * Starts the informers and waits until their initial lists are delivered (the topology ones' only while nodes and
     * pods are not in yet, or until they are forbidden).
     *
     * @throws UserError if nodes and pods have not synced within {@code timeout}
     */
    public void start(Duration timeout) {
        CompletableFuture<Void> both = CompletableFuture.allOf(
                nodeInformer.start().toCompletableFuture(),
                podReflector.start(),
                usageInformer == null
                        ? CompletableFuture.completedFuture(null)
                        : usageInformer.start().toCompletableFuture());
        watchesTopology = listeners.stream().anyMatch(ClusterEventListener::readsTopology);
        CompletableFuture<Void> topology =
                watchesTopology ? workloads.start() : CompletableFuture.completedFuture(null);
        watchesVolumes = listeners.stream().anyMatch(ClusterEventListener::readsVolumes);
        CompletableFuture<Void> volumeLists =
                watchesVolumes ? volumes.start() : CompletableFuture.completedFuture(null);
        try {
            // everything, or a failure of nodes/pods (which no topology or volume informer delays)
            CompletableFuture.anyOf(
                            CompletableFuture.allOf(both, topology, volumeLists),
                            both.thenCompose(v -> new CompletableFuture<Void>()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (both.isDone()) {
                List<String> unsettled = new java.util.ArrayList<>(workloads.unsettled());
                if (watchesVolumes) {
                    unsettled.addAll(volumes.unsettled());
                }
                LOG.warn(
                        "{} not listed within {} s: scheduling starts without them (retrying)",
                        unsettled,
                        timeout.toSeconds());
            } else {
                throw new UserError("informers did not sync within " + timeout.toSeconds() + " s (nodes synced: "
                        + nodeInformer.hasSynced() + ", pods synced: " + podReflector.hasSynced()
                        + "); check the apiserver's health and this scheduler's RBAC (list/watch nodes and pods)");
            }
        } catch (ExecutionException e) {
            throw new UserError("informers failed to start: " + KubeconfigResolver.oneLine(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while waiting for the informers to sync");
        }
        if (watchesTopology) {
            workloads.startupDone();
        }
        if (watchesVolumes) {
            volumes.startupDone();
        }
        LOG.info(
                "informers synced: {} nodes, {} pods",
                nodeInformer.getStore().list().size(),
                podsSeen.sum());
    }

    /** True once both informers have delivered their initial list. */
    public boolean hasSynced() {
        return nodeInformer.hasSynced() && podReflector.hasSynced();
    }

    /** Whether ReplicaSets, StatefulSets, ReplicationControllers, Services and Namespaces are watched. */
    public boolean watchesTopology() {
        return watchesTopology;
    }

    /**
     * Which of those RBAC currently forbids this client to list or watch ({@code replicasets.apps},
     * {@code services}…); empty when all are allowed or none are watched.
     */
    public List<String> forbiddenTopology() {
        return watchesTopology ? workloads.forbidden() : List.of();
    }

    /** Whether PersistentVolumeClaims, PersistentVolumes, StorageClasses and CSINodes are watched. */
    public boolean watchesVolumes() {
        return watchesVolumes;
    }

    /**
     * Which of those RBAC currently forbids this client to list or watch ({@code persistentvolumeclaims},
     * {@code csinodes.storage.k8s.io}…); empty when all are allowed or none are watched.
     */
    public List<String> forbiddenVolumes() {
        return watchesVolumes ? volumes.forbidden() : List.of();
    }

    /** Whether usage reports are being watched (the cluster serves the NodeUsage CRD). */
    public boolean watchesUsage() {
        return usageInformer != null;
    }

    /**
     * LIST requests of nodes, pods and usage reports made so far (2 at startup, 3 with NodeUsage; more only after
     * watch failures / 410 Gone); those of the topology informers are not counted.
     */
    public int lists() {
        return lists.get() + podReflector.lists();
    }

    /**
     * Objects skipped because they could not be decoded or converted, and bound pods converted without their invalid
     * topology fields.
     */
    public long malformed() {
        return malformed.sum() + podReflector.malformed();
    }

    @Override
    public void close() {
        events.close();
        nodeInformer.close();
        podReflector.close();
        workloads.close();
        volumes.close();
        if (usageInformer != null) {
            usageInformer.close();
        }
    }

    private boolean retry(String what, Throwable t) {
        LOG.warn("{} informer: {} (retrying)", what, KubeconfigResolver.oneLine(t));
        return true;
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onBeforeList(String resourceVersion) {
            lists.incrementAndGet();
        }

        @Override
        public void onAdd(Node node) {
            upsert(node);
        }

        @Override
        public void onUpdate(Node old, Node node) {
            upsert(node);
        }

        private void upsert(Node node) {
            io.qshard.core.model.Node n;
            try {
                n = NodeConverter.convert(node);
            } catch (ConversionException e) {
                skip(e);
                events.warn(node, "QshardMalformed", e.getMessage());
                // absent rather than stale: its last sane figures may no longer hold
                listeners.forEach(l -> l.nodeDeleted(node.getMetadata().getName()));
                return;
            }
            if (n.allocatable().milliCpu() == 0
                    && n.allocatable().memoryBytes() == 0
                    && n.allocatable().pods() == 0) {
                LOG.warn("node {} reports no allocatable and no capacity; nothing is placed on it", n.name());
                events.warn(
                        node,
                        "QshardNoAllocatable",
                        "node reports no allocatable and no capacity; qshard places" + " nothing on it until it does");
            }
            listeners.forEach(l -> l.nodeUpserted(n));
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            listeners.forEach(l -> l.nodeDeleted(node.getMetadata().getName()));
        }
    }

    private final class UsageHandler implements ResourceEventHandler<NodeUsage> {
        @Override
        public void onBeforeList(String resourceVersion) {
            lists.incrementAndGet();
        }

        @Override
        public void onAdd(NodeUsage nu) {
            upsert(nu);
        }

        @Override
        public void onUpdate(NodeUsage old, NodeUsage nu) {
            upsert(nu);
        }

        private void upsert(NodeUsage nu) {
            if (nu.getStatus() == null) {
                return; // created, not reported yet
            }
            UsageReport r;
            try {
                r = NodeUsageConverter.convert(nu);
            } catch (ConversionException e) {
                skip(e);
                events.warn(nu, "QshardMalformed", e.getMessage());
                return;
            }
            listeners.forEach(l -> l.usageReported(r));
        }

        @Override
        public void onDelete(NodeUsage nu, boolean finalStateUnknown) {
            listeners.forEach(l -> l.usageRemoved(nu.getMetadata().getName()));
        }
    }

    private final class PodSink implements PodReflector.Sink {
        @Override
        public void upsert(RawPod raw) {
            podsSeen.increment();
            PodRequest p;
            try {
                p = pods.convert(raw, degraded);
            } catch (ConversionException e) {
                skip(e);
                return;
            }
            listeners.forEach(l -> l.podUpserted(p, raw.finished(), raw.deleting()));
        }

        @Override
        public void delete(String uid) {
            listeners.forEach(l -> l.podDeleted(uid));
        }

        @Override
        public void relisted(int count) {
            int relists = lists() - (usageInformer == null ? 2 : 3);
            listeners.forEach(l -> l.synced(relists));
        }
    }

    private void skip(ConversionException e) {
        malformed.increment();
        LOG.warn("skipping malformed object: {}", e.getMessage());
    }
}
