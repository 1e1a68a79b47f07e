package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Watches a namespace and records when each pod first shows a nodeName (each bind time). Thread-safe. */
final class BindWatcher implements AutoCloseable {
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    /** {@link System#nanoTime} of each binding, in the order seen, up to the expected number. */
    private final AtomicLongArray times;

    private final AtomicInteger recorded = new AtomicInteger();
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private volatile java.time.Instant firstAt;
    private volatile java.time.Instant lastAt;
    private final Watch watch;

    /** @param expected bindings whose times are kept for {@link #timeline} */
    BindWatcher(KubernetesClient client, String namespace, int expected) {
        times = new AtomicLongArray(expected);
        watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String node = pod.getSpec().getNodeName();
                if (node != null
                        && !node.isEmpty()
                        && bound.add(pod.getMetadata().getUid())) {
                    long now = System.nanoTime();
                    if (first.compareAndSet(0, now)) {
                        firstAt = java.time.Instant.now();
                    }
                    last.set(now);
                    int i = recorded.getAndIncrement();
                    if (i < times.length()) {
                        times.set(i, now);
                    }
                    lastAt = java.time.Instant.now();
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    int bound() {
        return bound.size();
    }

    /** Seconds from the first to the last binding seen. */
    double bindingSpanSeconds() {
        return (last.get() - first.get()) / 1e9;
    }

    /** Wall-clock times of the first and last binding seen (to line up with the contenders' logs), or null. */
    String window() {
        return firstAt + " → " + lastAt;
    }

    /** The shape of the window so far, or null before two bindings were seen. */
    BindingTimeline timeline() {
        int n = Math.min(recorded.get(), times.length());
        long[] seen = new long[n];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            long t = times.get(i);
            if (t != 0) { // a slot claimed but not yet written by the watch thread
                seen[filled++] = t;
            }
        }
        return filled < 2 ? null : BindingTimeline.of(java.util.Arrays.copyOf(seen, filled));
    }

    long firstNanos() {
        return first.get();
    }

    long lastNanos() {
        return last.get();
    }

    @Override
    public void close() {
        watch.close();
    }
}
