package io.qshard.kube.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.convert.ConversionException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer of {@link WorkloadInformers} or {@link VolumeInformers}: converts each object to the value listeners see
 * ({@code V}, never null), delivers it only when it differs from the last one delivered for that object ({@code
 * namespace/name}), and null when the object goes — including an object deleted and created again under its name while
 * the watch was down. Keeps a compact store and, per object, the value last delivered.
 *
 * <p>It counts as {@link #listed} — and {@link #settled} completes, and its owner is told — only from the informer's
 * own event path, after the handler has delivered every object of the list: fabric8 calls {@link #onList} on the
 * handler's serial executor behind the list's add and delete notifications, whereas the informer's start future (and
 * {@code hasSynced()}) complete as soon as its store holds the list, before the handler has seen it. A listener thus
 * never hears "listed" before it has been given the objects listed (kube-scheduler reads its listers directly and has
 * no such gap). Thread-safe (the informer's events come one at a time; the flags are volatile).
 *
 * @param <T> the API type
 * @param <V> what listeners get: a core selector or a label map
 */
final class TopologyWatch<T extends HasMetadata, V> implements ResourceEventHandler<T> {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyWatch.class);

    /** API group ({@code ""} for core) and plural, as RBAC names them. */
    final String group;

    final String plural;
    /** {@code plural.group}, or the plural for the core group: how logs and {@link #forbidden} name it. */
    final String resource;
    /** What scheduling goes without while it is forbidden (for the warning). */
    final String loses;

    final SharedIndexInformer<T> informer;
    /** Completes when the first list was delivered or RBAC was found to forbid it. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** A list has been delivered to the listeners, every object of it before this turned true. */
    volatile boolean listed;
    /** RBAC forbade the last attempt (cleared when the informer lists). */
    volatile boolean forbidden;
    /** The forbidden warning was logged (once per resource). */
    volatile boolean warned;

    private final Function<T, V> convert;
    private final BiConsumer<T, V> deliver;
    private final Consumer<ConversionException> skip;
    private final Consumer<TopologyWatch<?, ?>> onForbidden;
    private final Map<String, V> delivered = new ConcurrentHashMap<>();
    /** Told each time this watch lists or is found forbidden (its owner may report the new state). */
    private volatile Runnable stateChanged = () -> {};

    /**
     * @param convert     the value of an object; may throw {@link ConversionException} (then {@code skip} gets it)
     * @param deliver     hands (object, value or null when deleted) to the listeners
     * @param onForbidden called when the informer itself meets a 403 (a permission revoked while running)
     */
    TopologyWatch(
            String group,
            String plural,
            String loses,
            SharedIndexInformer<T> informer,
            Supplier<T> empty,
            Function<T, V> convert,
            BiConsumer<T, V> deliver,
            Consumer<ConversionException> skip,
            Consumer<TopologyWatch<?, ?>> onForbidden) {
        this.group = group;
        this.plural = plural;
        this.resource = group.isEmpty() ? plural : plural + "." + group;
        this.loses = loses;
        this.informer = informer.itemStore(new CompactItemStore<>(empty));
        this.convert = convert;
        this.deliver = deliver;
        this.skip = skip;
        this.onForbidden = onForbidden;
        informer.exceptionHandler(this::failed);
        informer.addEventHandler(this);
    }

    /** Starts the informer; {@link #settled} completes once it has listed and delivered the list ({@link #onList}). */
    void start() {
        informer.start();
    }

    /**
     * After each list (the first, and re-lists after a 410 or a failure), on the handler's thread once every object of
     * it was delivered: marks this watch listed and not forbidden, tells the owner, then completes {@link #settled} (so
     * a start-up wait that returns has seen the owner told).
     */
    @Override
    public void onList(String resourceVersion, boolean nothing) {
        if (forbidden) {
            LOG.info("{}: watched now (RBAC allows it)", resource);
        }
        forbidden = false;
        listed = true;
        stateChanged.run();
        settled.complete(null);
    }

    /** Sets what to run each time this watch lists or is found forbidden (any thread). */
    void onStateChange(Runnable r) {
        stateChanged = r;
    }

    /** Marks it forbidden and settled; true when a warning about it is still due. */
    boolean deny() {
        forbidden = true;
        settled.complete(null);
        stateChanged.run();
        return !warned;
    }

    private boolean failed(boolean isStarted, Throwable t) {
        if (isForbidden(t)) {
            onForbidden.accept(this);
        } else {
            LOG.warn("{} informer: {} (retrying)", resource, KubeconfigResolver.oneLine(t));
        }
        return true; // retry for ever, with the informer's backoff
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
    public void onAdd(T obj) {
        upsert(obj);
    }

    @Override
    public void onUpdate(T old, T obj) {
        if (old != null
                && !Objects.equals(old.getMetadata().getUid(), obj.getMetadata().getUid())) {
            onDelete(old, false); // deleted and created again under the same name while we were not watching
        }
        upsert(obj);
    }

    private void upsert(T obj) {
        V value;
        try {
            value = convert.apply(obj);
        } catch (ConversionException e) {
            skip.accept(e);
            onDelete(obj, false); // an unreadable selector selects nothing (kube-scheduler skips it), not its old value
            return;
        }
        if (!value.equals(delivered.put(Cache.metaNamespaceKeyFunc(obj), value))) {
            deliver.accept(obj, value);
        }
    }

    @Override
    public void onDelete(T obj, boolean finalStateUnknown) {
        if (delivered.remove(Cache.metaNamespaceKeyFunc(obj)) != null) {
            deliver.accept(obj, null);
        }
    }
}
