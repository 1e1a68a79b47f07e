package io.qshard.shard.binder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

/**
 * Writes bindings ({@code POST /api/v1/namespaces/{ns}/pods/{name}/binding}) asynchronously with at most
 * {@code concurrency} requests in flight; {@link #bind} blocks the caller only while that many are pending,
 * which is the backpressure the decision thread needs. Each request is one small JSON body on fabric8's
 * HTTP client (no model serialization, no retries: the scheduler decides what to do with a failure).
 * The outcome callback runs on an HTTP client thread and must only hand the outcome over.
 *
 * <p>Timeouts: fabric8's per-request timer cancels a future on every completion, and each cancellation
 * fills two exception stack traces — per binding. Requests here carry no fabric8 timeout; one watchdog
 * sweep per second fails requests older than {@link #REQUEST_TIMEOUT} instead. Thread-safe.
 */
public final class Binder implements AutoCloseable {
    /** Default bindings in flight. */
    public static final int DEFAULT_CONCURRENCY = 32;
    /** Per-request timeout. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String apiBase;
    private final Semaphore slots;
    private final int concurrency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    /** The thread in {@link #awaitCapacity}, or null, and the free slots it waits for. */
    private volatile Thread capacityWaiter;
    private volatile int capacityWanted;
    /** Longest park in {@link #awaitCapacity} before re-checking (a safety net, not the wake-up path). */
    private static final long CAPACITY_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** One request in flight: completes (outcome + slot release) exactly once, by response or by timeout. */
    private final class Pending {
        final long startNanos = System.nanoTime();
        final AtomicBoolean completed = new AtomicBoolean();
        final Consumer<BindOutcome> onOutcome;
        volatile CompletableFuture<?> future;

        Pending(Consumer<BindOutcome> onOutcome) {
            this.onOutcome = onOutcome;
        }

        void complete(long id, BindOutcome outcome) {
            if (completed.compareAndSet(false, true)) {
                pending.remove(id);
                release();
                onOutcome.accept(outcome);
            }
        }
    }

    public Binder(KubernetesClient client, int concurrency) {
        this(client.getHttpClient(), client.getMasterUrl().toString(), concurrency);
    }

    /** @param master the apiserver's URL; tests pass their own HTTP client */
    Binder(HttpClient http, String master, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("bind concurrency must be ≥ 1, was " + concurrency);
        }
        this.http = http;
        this.apiBase = io.qshard.shard.kube.ApiserverConnection.baseUrl(master);
        this.slots = new Semaphore(concurrency);
        this.concurrency = concurrency;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qshard-bind-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Binds {@code namespace/name} to {@code node}; {@code onOutcome} receives the result exactly once.
     *
     * @throws InterruptedException if interrupted while waiting for a free slot (nothing was sent)
     */
    public void bind(String namespace, String name, String uid, String node, Consumer<BindOutcome> onOutcome)
            throws InterruptedException {
        slots.acquire();
        inFlight.incrementAndGet();
        long id = ids.incrementAndGet();
        Pending p = new Pending(onOutcome);
        pending.put(id, p);
        try {
            HttpRequest request = http.newHttpRequestBuilder()
                    .uri(URI.create(apiBase + "/api/v1/namespaces/" + namespace + "/pods/" + name + "/binding"))
                    .timeout(0, TimeUnit.MILLISECONDS) // no fabric8 timer: see the class comment
                    .post("application/json", body(namespace, name, uid, node))
                    .build();
            p.future = http.sendAsync(request, String.class).whenComplete((response, error) -> p.complete(id, classify(response, error)));
        } catch (RuntimeException e) {
            p.complete(id, new BindOutcome(BindOutcome.Kind.FAILED, String.valueOf(e.getMessage())));
        }
    }

    private void expire() {
        long cutoff = System.nanoTime() - REQUEST_TIMEOUT.toNanos();
        pending.forEach((id, p) -> {
            if (p.startNanos < cutoff) {
                p.complete(id, new BindOutcome(BindOutcome.Kind.FAILED, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s"));
                CompletableFuture<?> f = p.future;
                if (f != null) {
                    f.cancel(true);
                }
            }
        });
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /**
     * When no binding slot is free, waits until {@code n} are (at most all of them), so the caller wakes once
     * per {@code n} completed bindings instead of once per binding — on a small machine each wake-up is a
     * context switch taken from the apiserver. Returns at once if a slot is free. One waiting thread at a time.
     *
     * <p>Not {@code Semaphore.acquire(n)}: a semaphore wakes its waiter on every single release, to find too few
     * permits and park again. Here a completing binding unparks the waiter only once {@code n} slots are free.
     */
    public void awaitCapacity(int n) throws InterruptedException {
        if (slots.availablePermits() > 0) {
            return;
        }
        capacityWanted = Math.min(Math.max(1, n), concurrency);
        capacityWaiter = Thread.currentThread();
        try {
            // the waiter is published before the check and a release frees its slot before reading the waiter,
            // so one of the two sees the other; parkNanos bounds the wait should anything else wake us early
            while (slots.availablePermits() < capacityWanted) {
                LockSupport.parkNanos(this, CAPACITY_RECHECK_NANOS);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            capacityWaiter = null;
        }
    }

    /** Bindings currently in flight. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Waits until no binding is in flight, at most {@code timeout}; true if none is left. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (slots.tryAcquire(concurrency, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            slots.release(concurrency);
            return true;
        }
        return false;
    }

    private void release() {
        inFlight.decrementAndGet();
        slots.release();
        Thread waiter = capacityWaiter;
        if (waiter != null && slots.availablePermits() >= capacityWanted) {
            LockSupport.unpark(waiter);
        }
    }

    static BindOutcome classify(HttpResponse<String> response, Throwable error) {
        if (error != null) {
            return new BindOutcome(BindOutcome.Kind.FAILED, error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        int code = response.code();
        if (code == 201 || code == 200) {
            return BindOutcome.BOUND;
        }
        String body = response.body() == null ? "" : response.body();
        if (code == 409) {
            return new BindOutcome(BindOutcome.Kind.ALREADY_BOUND, body);
        }
        if (code == 404) {
            return new BindOutcome(BindOutcome.Kind.POD_GONE, body);
        }
        return new BindOutcome(BindOutcome.Kind.FAILED, "HTTP " + code + ": " + body);
    }

    /** The Binding object; the uid precondition makes a binding of a re-created pod of the same name fail. */
    static byte[] body(String namespace, String name, String uid, String node) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"uid\":\"" + uid + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\""
                + node + "\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
