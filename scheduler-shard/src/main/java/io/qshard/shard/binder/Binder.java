package io.qshard.shard.binder;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Writes bindings ({@code POST /api/v1/namespaces/{ns}/pods/{name}/binding}) asynchronously with at most
 * {@code concurrency} requests in flight. Up to {@code queueLimit} more bindings may be handed over while every
 * slot is busy: they wait here, and each answer sends the next one from the HTTP thread — so the slots stay full
 * while the decision thread sleeps, instead of emptying until it wakes and decides again (on a small machine the
 * apiserver is latency-bound well before it is CPU-bound, and bindings per second follow the requests in flight).
 * {@link #bind} blocks the caller only while both are full, which is the backpressure the decision thread needs.
 * Each request is one small JSON body on fabric8's HTTP client (no model serialization, no retries: the
 * scheduler decides what to do with a failure; {@link BindAnswer} tells a 409 for a pod already on the node asked
 * for from one already on another node and from every other refusal). The outcome callback runs on an HTTP client
 * thread and must only hand the outcome over.
 *
 * <p>Timeouts: fabric8's per-request timer cancels a future on every completion, and each cancellation
 * fills two exception stack traces — per binding. Requests here carry no fabric8 timeout; one watchdog
 * sweep per second fails requests sent more than {@link #REQUEST_TIMEOUT} ago instead. Thread-safe.
 */
public final class Binder implements PodBinder {
    /** Default bindings in flight. */
    public static final int DEFAULT_CONCURRENCY = 32;
    /** Per-request timeout, from the moment a binding is sent. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Longest park in {@link #awaitCapacity} before re-checking (a safety net, not the wake-up path). */
    private static final long CAPACITY_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final HttpClient http;
    private final String apiBase;
    private final int concurrency;
    private final int budgetSize;
    /** One permit per binding handed over and not yet answered: in flight plus waiting. */
    private final Semaphore budget;

    private final AtomicLong ids = new AtomicLong();
    /** Bindings sent and not yet answered, by id (the watchdog's view). */
    private final Map<Long, Pending> sent = new ConcurrentHashMap<>();

    private final ScheduledExecutorService watchdog;
    /** Guards {@link #sending}, {@link #waiting} and {@link #closed}. */
    private final Object lock = new Object();

    private int sending;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean closed;
    /** The thread in {@link #awaitCapacity}, or null, and the free permits it waits for. */
    private volatile Thread capacityWaiter;

    private volatile int capacityWanted;

    /** One binding: completes (outcome + permit release) exactly once — by answer, timeout or close. */
    private final class Pending {
        final long id = ids.incrementAndGet();
        final AtomicBoolean completed = new AtomicBoolean();
        final Consumer<BindOutcome> onOutcome;
        final HttpRequest request;
        /** The node asked for: a 409 "already assigned" to it means the placement stands. */
        final String node;

        volatile long sentNanos;
        volatile boolean wasSent;
        volatile CompletableFuture<?> future;

        Pending(HttpRequest request, String node, Consumer<BindOutcome> onOutcome) {
            this.request = request;
            this.node = node;
            this.onOutcome = onOutcome;
        }

        void complete(BindOutcome outcome) {
            if (completed.compareAndSet(false, true)) {
                if (wasSent) {
                    sent.remove(id);
                    sendNextOrFreeSlot();
                }
                release();
                onOutcome.accept(outcome);
            }
        }
    }

    /** A binder without a waiting queue: {@link #bind} blocks until a slot is free. */
    public Binder(KubernetesClient client, int concurrency) {
        this(client, concurrency, 0);
    }

    /**
     * @param concurrency bindings in flight at most, ≥ 1
     * @param queueLimit  bindings that may wait for a slot, ≥ 0
     */
    public Binder(KubernetesClient client, int concurrency, int queueLimit) {
        this(client.getHttpClient(), client.getMasterUrl().toString(), concurrency, queueLimit);
    }

    /** @param master the apiserver's URL; tests pass their own HTTP client */
    Binder(HttpClient http, String master, int concurrency, int queueLimit) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("bind concurrency must be ≥ 1, was " + concurrency);
        }
        if (queueLimit < 0) {
            throw new IllegalArgumentException("bind queue limit must be ≥ 0, was " + queueLimit);
        }
        this.http = http;
        this.apiBase = io.qshard.kube.client.ApiserverConnection.baseUrl(master);
        this.concurrency = concurrency;
        this.budgetSize = concurrency + queueLimit;
        this.budget = new Semaphore(budgetSize);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qshard-bind-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Binds {@code namespace/name} to {@code node} — now, or once a slot frees; {@code onOutcome} receives the
     * result exactly once. After {@link #close} the outcome is an immediate {@link BindOutcome.Kind#NOT_SENT}.
     *
     * @throws InterruptedException if interrupted while in-flight and waiting bindings are both full (nothing sent)
     */
    @Override
    public void bind(String namespace, String name, String uid, String node, Consumer<BindOutcome> onOutcome)
            throws InterruptedException {
        budget.acquire();
        Pending p;
        try {
            p = new Pending(
                    http.newHttpRequestBuilder()
                            .uri(URI.create(apiBase + "/api/v1/namespaces/" + namespace + "/pods/" + name + "/binding"))
                            .timeout(0, TimeUnit.MILLISECONDS) // no fabric8 timer: see the class comment
                            .post("application/json", body(namespace, name, uid, node))
                            .build(),
                    node,
                    onOutcome);
        } catch (RuntimeException e) {
            release();
            onOutcome.accept(new BindOutcome(BindOutcome.Kind.FAILED, String.valueOf(e.getMessage())));
            return;
        }
        boolean now;
        boolean refused;
        synchronized (lock) {
            refused = closed;
            now = !closed && sending < concurrency;
            if (now) {
                sending++;
            } else if (!closed) {
                waiting.add(p);
            }
        }
        if (refused) {
            p.complete(new BindOutcome(BindOutcome.Kind.NOT_SENT, "binder closed"));
        } else if (now) {
            send(p);
        }
    }

    private void send(Pending p) {
        p.sentNanos = System.nanoTime();
        p.wasSent = true;
        sent.put(p.id, p);
        try {
            p.future = http.sendAsync(p.request, String.class)
                    .whenComplete((response, error) -> p.complete(BindAnswer.classify(response, error, p.node)));
        } catch (RuntimeException e) {
            p.complete(new BindOutcome(BindOutcome.Kind.FAILED, String.valueOf(e.getMessage())));
        }
    }

    /** A sent binding was answered: its slot goes to the next waiting binding, if any. */
    private void sendNextOrFreeSlot() {
        Pending next;
        synchronized (lock) {
            next = waiting.poll();
            if (next == null) {
                sending--;
            }
        }
        if (next != null) {
            send(next);
        }
    }

    private void expire() {
        long cutoff = System.nanoTime() - REQUEST_TIMEOUT.toNanos();
        sent.forEach((id, p) -> {
            if (p.sentNanos < cutoff) {
                p.complete(new BindOutcome(
                        BindOutcome.Kind.FAILED, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s"));
                CompletableFuture<?> f = p.future;
                if (f != null) {
                    f.cancel(true);
                }
            }
        });
    }

    /**
     * Fails every binding still waiting for a slot with {@link BindOutcome.Kind#NOT_SENT} (sent ones finish);
     * e.g. when leadership is lost, so that nothing decided under the old lease is written afterwards.
     *
     * @return how many were abandoned
     */
    @Override
    public int abandonQueued(String why) {
        java.util.List<Pending> unsent;
        synchronized (lock) {
            unsent = new java.util.ArrayList<>(waiting);
            waiting.clear();
        }
        unsent.forEach(p -> p.complete(new BindOutcome(BindOutcome.Kind.NOT_SENT, why)));
        return unsent.size();
    }

    /** Stops the watchdog and takes no more bindings; those still waiting for a slot are abandoned (NOT_SENT). */
    @Override
    public void close() {
        watchdog.shutdownNow();
        synchronized (lock) {
            closed = true;
        }
        abandonQueued("binder closed before the binding was sent");
    }

    /**
     * When in-flight and waiting bindings are both full, waits until {@code n} more can be handed over (at most all
     * of them), so the caller wakes once per {@code n} completed bindings instead of once per binding — on a small
     * machine each wake-up is a context switch taken from the apiserver. Returns at once if one can be handed over
     * now. One waiting thread at a time.
     *
     * <p>Not {@code Semaphore.acquire(n)}: a semaphore wakes its waiter on every single release, to find too few
     * permits and park again. Here a completing binding unparks the waiter only once {@code n} are free. Gives up
     * after {@code max} (false), so the waiter can beat its heartbeat and wait again.
     */
    @Override
    public boolean awaitCapacity(int n, Duration max) throws InterruptedException {
        if (budget.availablePermits() > 0) {
            return true;
        }
        long deadline = System.nanoTime() + max.toNanos();
        capacityWanted = Math.min(Math.max(1, n), budgetSize);
        capacityWaiter = Thread.currentThread();
        try {
            // the waiter is published before the check and a release frees its permit before reading the waiter,
            // so one of the two sees the other; parkNanos bounds the wait should anything else wake us early
            while (budget.availablePermits() < capacityWanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(left, CAPACITY_RECHECK_NANOS));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        } finally {
            capacityWaiter = null;
        }
    }

    /** Bindings sent and not yet answered. */
    @Override
    public int inFlight() {
        synchronized (lock) {
            return sending;
        }
    }

    /** Bindings handed over and waiting for a slot. */
    @Override
    public int queued() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** Waits until no binding is in flight or waiting, at most {@code timeout}; true if none is left. */
    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (budget.tryAcquire(budgetSize, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            budget.release(budgetSize);
            return true;
        }
        return false;
    }

    private void release() {
        budget.release();
        Thread waiter = capacityWaiter;
        if (waiter != null && budget.availablePermits() >= capacityWanted) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * The Binding object. Its uid is a precondition where the apiserver checks it (kubernetes#105913; regressed in
     * 1.25, restored by #116550): a binding of a re-created pod of the same name fails there (409, POD_GONE).
     * kube-apiserver 1.20.2 ignores it and binds the new pod (BindConflictIT), as it does for kube-scheduler 1.20.
     */
    static byte[] body(String namespace, String name, String uid, String node) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                        + namespace + "\",\"uid\":\"" + uid
                        + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\""
                        + node + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
