package io.qshard.shard.shardmap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.shard.ShardMapView;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.write.ObjectEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the cluster's {@code ShardMap}s (listed from the watch cache) and hands every valid one, with its
 * resourceVersion, to the listeners; a map that must not be acted on (a node in two shards, a missing epoch …) is
 * logged as an error, counted, written as a Warning Event ({@code QshardMalformed}) on the map, and not delivered — the instances keep the last valid map. Thread-safe.
 */
public final class ShardMapWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardMapWatcher.class);

    /** A valid map and the resourceVersion it was read at (for optimistic updates). */
    public record Update(ShardMapView view, String resourceVersion) {}

    /** Receives maps on the informer's thread; implementations hand them to their own thread. */
    public interface Listener {
        void shardMap(Update update);

        /** The map of {@code tier} was deleted. */
        default void shardMapDeleted(String tier) {}
    }

    /** Maps refused as invalid. */
    public final LongAdder refused = new LongAdder();

    private final SharedIndexInformer<ShardMap> informer;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ObjectEvents events;

    public ShardMapWatcher(KubernetesClient client) {
        this.events = new ObjectEvents(client, "qshard-scheduler", Clock.systemUTC());
        this.informer = client.resources(ShardMap.class).runnableInformer(0);
        informer.exceptionHandler((started, t) -> {
            LOG.warn("shardmaps informer: {} (retrying)", t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ShardMap m) {
                deliver(m);
            }

            @Override
            public void onUpdate(ShardMap old, ShardMap m) {
                deliver(m);
            }

            @Override
            public void onDelete(ShardMap m, boolean unknown) {
                listeners.forEach(l -> l.shardMapDeleted(m.getMetadata().getName()));
            }
        });
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Starts the informer and waits for its first list. */
    public void start(Duration timeout) throws Exception {
        informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether the informer has listed */
    public boolean hasSynced() {
        return informer.hasSynced();
    }

    private void deliver(ShardMap m) {
        ShardMapView v;
        try {
            v = ShardMaps.convert(m);
        } catch (ConversionException e) {
            refused.increment();
            if (!events.warn(m, "QshardMalformed", e.getMessage() + " — the schedulers keep the last valid map")) {
                return; // logged with its Event, at most every 10 minutes
            }
            LOG.error(
                    "{} — keeping the last valid map; fix or re-create it (`qshard shard status` shows it)",
                    e.getMessage());
            return;
        }
        Update u = new Update(v, m.getMetadata().getResourceVersion());
        listeners.forEach(l -> l.shardMap(u));
    }

    @Override
    public void close() {
        events.close();
        informer.close();
    }
}
