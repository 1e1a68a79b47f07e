package io.qshard.shard.scheduler;

import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.binder.PodBinder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@link PodBinder} whose bindings the test answers, with the real binder's shape: {@code slots} bindings "sent" at
 * once, up to {@code queueLimit} more waiting for a slot (the next is sent when one is answered), {@link #bind} and
 * {@link #awaitCapacity} blocking while both are full, {@link #abandonQueued} failing the waiting ones NOT_SENT.
 * Records every binding sent and every BOUND answer per pod uid. Thread-safe (one monitor).
 */
final class HeldBinder implements PodBinder {
    /** A binding handed over. */
    record Call(String uid, String name, String node, Consumer<BindOutcome> done) {}

    private final int slots;
    private final int queueLimit;
    private final List<Call> sent = new ArrayList<>();
    private final ArrayDeque<Call> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private final Map<String, Integer> boundPerUid = new HashMap<>();
    private boolean closed;

    HeldBinder(int slots, int queueLimit) {
        this.slots = slots;
        this.queueLimit = queueLimit;
    }

    @Override
    public synchronized void bind(
            String namespace, String name, String uid, String node, Consumer<BindOutcome> onOutcome)
            throws InterruptedException {
        if (closed) {
            onOutcome.accept(new BindOutcome(BindOutcome.Kind.NOT_SENT, "closed"));
            return;
        }
        while (inFlight.size() + waiting.size() >= slots + queueLimit) {
            wait();
        }
        Call c = new Call(uid, name, node, onOutcome);
        if (inFlight.size() < slots) {
            inFlight.add(c);
            sent.add(c);
        } else {
            waiting.add(c);
        }
        notifyAll();
    }

    /** Answers the oldest binding in flight; the next waiting one is sent. */
    void answer(BindOutcome.Kind kind) {
        answer(kind == BindOutcome.Kind.BOUND ? BindOutcome.BOUND : new BindOutcome(kind, "test: " + kind));
    }

    /** Answers the oldest binding in flight with {@code outcome}; the next waiting one is sent. */
    void answer(BindOutcome outcome) {
        Call c;
        synchronized (this) {
            c = inFlight.poll();
            if (c == null) {
                throw new IllegalStateException("no binding in flight");
            }
            if (outcome.kind() == BindOutcome.Kind.BOUND) {
                boundPerUid.merge(c.uid(), 1, Integer::sum);
            }
            Call next = waiting.poll();
            if (next != null) {
                inFlight.add(next);
                sent.add(next);
            }
            notifyAll();
        }
        c.done().accept(outcome);
    }

    /** Bindings sent so far, in order (abandoned ones were never sent). */
    synchronized List<Call> sent() {
        return List.copyOf(sent);
    }

    /** The oldest binding in flight, or null. */
    synchronized Call oldestInFlight() {
        return inFlight.peek();
    }

    /** How often each pod was answered BOUND. */
    synchronized Map<String, Integer> boundPerUid() {
        return Map.copyOf(boundPerUid);
    }

    @Override
    public synchronized boolean awaitCapacity(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (inFlight.size() + waiting.size() >= slots + queueLimit) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public int abandonQueued(String why) {
        List<Call> unsent;
        synchronized (this) {
            unsent = new ArrayList<>(waiting);
            waiting.clear();
            notifyAll();
        }
        unsent.forEach(c -> c.done().accept(new BindOutcome(BindOutcome.Kind.NOT_SENT, why)));
        return unsent.size();
    }

    @Override
    public synchronized boolean awaitIdle(Duration timeout) {
        return inFlight.isEmpty() && waiting.isEmpty();
    }

    @Override
    public synchronized int inFlight() {
        return inFlight.size();
    }

    @Override
    public synchronized int queued() {
        return waiting.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        abandonQueued("closed");
    }
}
