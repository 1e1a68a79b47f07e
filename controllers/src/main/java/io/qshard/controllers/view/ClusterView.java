package io.qshard.controllers.view;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.usage.UsageReport;
import io.qshard.kube.informer.ClusterEventListener;
import io.qshard.shard.usage.UsageTracker;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as the controllers (oversale ratios, migration) see it: nodes, bound pods, usage reports with their
 * predictions — the same {@link ClusterState} and {@link UsageTracker} a tier scheduler keeps, fed by the same
 * informers. Everything lives on one thread: informer events arrive through a queue, reports past the staleness
 * limit are expired once a second, and a controller reads the state by handing a function to {@link #read}, which
 * runs it on that thread. Pending pods are kept only when asked for ({@code keepsPending}: replica hosting counts
 * them); otherwise a controller looks at placed ones and a pending pod costs nothing. Thread-safe entry points.
 */
public final class ClusterView implements ClusterEventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    /** What a reader sees on the view's thread: do not keep references past the call. */
    public interface State {
        ClusterState cluster();

        UsageTracker usage();

        Clock clock();

        /**
         * The pending pods of the borrowing tiers (a qshard tier whose pool rule is not ALLOCATABLE; not bound, not
         * finished, not terminating, not being deleted) by uid, when the view keeps them ({@code keepsPending}); empty
         * otherwise. Read-only.
         */
        default Map<String, PodRequest> pending() {
            return Map.of();
        }
    }

    private final ClusterState cluster = new ClusterState();
    private final UsageTracker usage;
    private final Clock clock;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Map<String, Boolean> deleting = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private long nextTick;
    private final boolean readsTopology;
    private final boolean keepsPending;
    /** Pending pods by uid (only with keepsPending); the view's thread only. */
    private final Map<String, PodRequest> pending = new HashMap<>();

    private final Map<String, PodRequest> pendingView = Collections.unmodifiableMap(pending);

    /** A view without the selectors and namespace labels only the topology plugins read. */
    public ClusterView(QshardConfig config, Clock clock, String name) {
        this(config, clock, name, false);
    }

    /**
     * @param readsTopology also keep Services', controllers' selectors and namespaces' labels (for {@code qshard explain},
     *                      whose topology plugins read them; the informers need list/watch on those resources)
     */
    public ClusterView(QshardConfig config, Clock clock, String name, boolean readsTopology) {
        this(config, clock, name, readsTopology, false);
    }

    /**
     * @param readsTopology as in {@link #ClusterView(QshardConfig, Clock, String, boolean)}
     * @param keepsPending  also keep the borrowing tiers' pending, non-terminating pods ({@link State#pending()}),
     *                      memory in proportion to them; off, a pending pod costs nothing
     */
    public ClusterView(QshardConfig config, Clock clock, String name, boolean readsTopology, boolean keepsPending) {
        this.readsTopology = readsTopology;
        this.keepsPending = keepsPending;
        this.usage = new UsageTracker(config);
        this.clock = clock;
        this.thread = new Thread(this::loop, "qshard-view-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code reader} on the view's thread.
     *
     * @return its result, when it has run
     */
    public <T> CompletableFuture<T> read(Function<State, T> reader) {
        CompletableFuture<T> out = new CompletableFuture<>();
        State s = new State() {
            @Override
            public ClusterState cluster() {
                return cluster;
            }

            @Override
            public UsageTracker usage() {
                return usage;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public Map<String, PodRequest> pending() {
                return pendingView;
            }
        };
        inbox.add(() -> {
            try {
                out.complete(reader.apply(s));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** @return whether the pod with this uid is being deleted (evicted, or deleted by its owner) */
    public boolean isDeleting(String uid) {
        return deleting.containsKey(uid);
    }

    private void loop() {
        while (running) {
            try {
                Runnable r = inbox.poll(200, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
                long now = clock.millis();
                if (now >= nextTick) {
                    nextTick = now + 1000;
                    usage.expire(cluster, clock.instant());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("cluster view failed to apply an event; this is a bug", e);
            }
        }
    }

    @Override
    public void nodeUpserted(Node node) {
        inbox.add(() -> {
            cluster.upsertNode(node);
            usage.nodeKnown(node.name(), cluster, clock.instant());
        });
    }

    @Override
    public void nodeDeleted(String name) {
        inbox.add(() -> cluster.deleteNode(name));
    }

    @Override
    public void podUpserted(PodRequest pod, boolean finished, boolean isDeleting) {
        if (isDeleting) {
            deleting.put(pod.uid(), Boolean.TRUE);
        }
        inbox.add(() -> {
            if (keepsPending) {
                if (!finished
                        && !isDeleting
                        && !pod.terminating()
                        && pod.nodeName() == null
                        && pod.tier() != null
                        && pod.poolRule() != PoolRule.ALLOCATABLE) {
                    pending.put(pod.uid(), pod);
                } else {
                    pending.remove(pod.uid());
                }
            }
            if (finished || pod.nodeName() == null) {
                cluster.removePod(pod.uid());
                if (readsTopology && !finished && !isDeleting) {
                    cluster.nominate(pod); // explain: a nominated pod's room counts, as in the schedulers
                }
            } else {
                cluster.upsertPod(pod);
            }
        });
    }

    @Override
    public void podDeleted(String uid) {
        deleting.remove(uid);
        inbox.add(() -> {
            cluster.removePod(uid);
            pending.remove(uid);
        });
    }

    @Override
    public void usageReported(UsageReport report) {
        inbox.add(() -> usage.reported(report, cluster, clock.instant()));
    }

    @Override
    public void usageRemoved(String node) {
        inbox.add(() -> usage.removed(node, cluster));
    }

    @Override
    public boolean readsTopology() {
        return readsTopology;
    }

    @Override
    public void controllerSelector(String namespace, String uid, io.qshard.core.model.LabelSelector selector) {
        inbox.add(() -> cluster.controllerSelector(namespace, uid, selector));
    }

    @Override
    public void serviceSelector(String namespace, String key, Map<String, String> selector) {
        inbox.add(() -> cluster.serviceSelector(namespace, key, selector));
    }

    @Override
    public void namespaceLabels(String namespace, Map<String, String> labels) {
        inbox.add(() -> cluster.namespaceLabels(namespace, labels));
    }

    @Override
    public void disruptionBudget(String namespace, String name, io.qshard.core.model.DisruptionBudget budget) {
        inbox.add(() -> cluster.budget(namespace, name, budget));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
