package io.qshard.kube.testing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One held {@link HeldHttpClient#consumeBytes} request (a watch), answered by the test: first {@link #respond} (or
 * {@link #refuse}), then chunks with {@link #push}, then {@link #end} or {@link #breakWith}. It is also the response's
 * {@link AsyncBody}, and behaves as fabric8's Vert.x one does: a chunk reaches the consumer only once the consumer
 * asked for it ({@link #consume()}, one chunk per call); the end or the break comes after the chunks pushed before it;
 * {@link #cancel()} drops what is not delivered and cancels {@link #done()}; a consumer that throws fails
 * {@link #done()} with its exception. Deliveries run on the thread that pushed (as on an I/O thread), or on the one
 * that asked for more; they never overlap. Thread-safe.
 */
public final class HeldStream implements AsyncBody {
    private static final Object END = new Object();

    private final HttpRequest request;
    private final AsyncBody.Consumer<List<ByteBuffer>> consumer;
    private final CompletableFuture<HttpResponse<AsyncBody>> response = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Chunks ({@code ByteBuffer[]}), then possibly the end ({@link #END}) or a break (a {@link Throwable}). */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    private int demand;
    private boolean delivering;
    private boolean cancelled;

    HeldStream(HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        this.request = request;
        this.consumer = consumer;
    }

    CompletableFuture<HttpResponse<AsyncBody>> response() {
        return response;
    }

    /** The watch request as sent. */
    public HttpRequest request() {
        return request;
    }

    /** Answers the request with this HTTP status; the response's body is this stream. */
    public void respond(int code) {
        response.complete(new HeldResponse<>(code, this, request));
    }

    /** Fails the request itself (no response: connection refused, reset, …). */
    public void refuse(Throwable error) {
        response.completeExceptionally(error);
    }

    /** Pushes one chunk of UTF-8 text, made of one buffer per argument (a JSON line may be cut anywhere). */
    public void push(String... buffers) {
        ByteBuffer[] chunk = new ByteBuffer[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            chunk[i] = ByteBuffer.wrap(buffers[i].getBytes(StandardCharsets.UTF_8));
        }
        enqueue(chunk);
    }

    /** Ends the stream normally (as a watch's {@code timeoutSeconds} does), after the chunks pushed so far. */
    public void end() {
        enqueue(END);
    }

    /** Breaks the stream with this error, after the chunks pushed so far. */
    public void breakWith(Throwable error) {
        enqueue(error);
    }

    /** Whether the client cancelled the body. */
    public synchronized boolean cancelled() {
        return cancelled;
    }

    @Override
    public void consume() {
        synchronized (this) {
            demand++;
        }
        drain();
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void cancel() {
        synchronized (this) {
            cancelled = true;
            pending.clear();
        }
        done.cancel(false);
    }

    private void enqueue(Object item) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            pending.add(item);
        }
        drain();
    }

    /** Delivers what may be delivered; one thread at a time, the others leave it to the one delivering. */
    private void drain() {
        while (true) {
            Object next;
            synchronized (this) {
                Object head = pending.peek();
                if (delivering || head == null || (head instanceof ByteBuffer[] && demand == 0)) {
                    return;
                }
                pending.poll();
                if (head instanceof ByteBuffer[]) {
                    demand--;
                }
                delivering = true;
                next = head;
            }
            try {
                deliver(next);
            } finally {
                synchronized (this) {
                    delivering = false;
                }
            }
        }
    }

    private void deliver(Object item) {
        if (item == END) {
            done.complete(null);
        } else if (item instanceof Throwable error) {
            done.completeExceptionally(error);
        } else {
            try {
                consumer.consume(List.of((ByteBuffer[]) item), this);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }
    }
}
