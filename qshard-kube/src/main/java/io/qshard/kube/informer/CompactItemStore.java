package io.qshard.kube.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer item store that keeps, per object, only its key, resourceVersion and uid — what the informer
 * needs to tell adds from updates and to find deletions on a re-list. The schedulers keep their own compact
 * core records; whole API objects (managedFields, annotations, status) are never retained. Objects handed
 * back (as the "old" object of an update, or on a re-list deletion) carry only that metadata.
 * Thread-safe.
 *
 * @param <T> the API type
 */
public final class CompactItemStore<T extends HasMetadata> implements ItemStore<T> {
    private final ConcurrentHashMap<String, String[]> store = new ConcurrentHashMap<>();
    private final Supplier<T> factory;

    /** @param factory makes an empty object of the informer's type, e.g. {@code Pod::new} */
    public CompactItemStore(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        return restore(key, store.put(key, new String[] {
            obj.getMetadata().getResourceVersion(), obj.getMetadata().getUid()
        }));
    }

    @Override
    public T remove(String key) {
        return restore(key, store.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return store.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return restore(key, store.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private T restore(String key, String[] kept) {
        if (kept == null) {
            return null;
        }
        int slash = key.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
        meta.setName(slash < 0 ? key : key.substring(slash + 1));
        meta.setResourceVersion(kept[0]);
        meta.setUid(kept[1]);
        T t = factory.get();
        t.setMetadata(meta);
        return t;
    }
}
