package io.qshard.kube.testing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fabric8 {@link HttpClient} that holds every request until the test answers it: the bind path's and the pod
 * reflector's HTTP, without a server. Two kinds of request are held, each kind oldest first:
 * <ul>
 *   <li>{@link #sendAsync} (a binding POST, a LIST) until {@link #answerOne(int, String)} or {@link #failOne}; the
 *       body is given in the type asked for ({@code String}, {@code byte[]}, {@code InputStream}, {@code Reader});</li>
 *   <li>{@link #consumeBytes} (a WATCH) until the test takes it with {@link #nextStream()} and answers the
 *       {@link HeldStream}: a status, then chunks, then an end or an error.</li>
 * </ul>
 * The client's callbacks run on the answering thread, as they would on an I/O thread. Nothing is ever sent
 * anywhere; {@link #close()} does nothing. Thread-safe.
 */
public final class HeldHttpClient implements HttpClient {
    private record Call(HttpRequest request, Class<?> type, CompletableFuture<HttpResponse<?>> future) {}

    private final ConcurrentLinkedQueue<Call> held = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<HeldStream> streams = new ConcurrentLinkedQueue<>();
    private final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
    /** Paths of every request sent, of either kind, in order. */
    public final List<String> sentPaths = new CopyOnWriteArrayList<>();

    /** Every request sent, of either kind, in order (a copy). */
    public List<HttpRequest> requests() {
        return List.copyOf(requests);
    }

    /** {@link #sendAsync} requests sent and not yet answered. */
    public int holding() {
        return held.size();
    }

    /** {@link #consumeBytes} requests sent and not yet taken with {@link #nextStream()}. */
    public int streamsHolding() {
        return streams.size();
    }

    /** Answers the oldest held {@link #sendAsync} request with this status and an empty body; returns that request. */
    public HttpRequest answerOne(int code) {
        return answerOne(code, "");
    }

    /**
     * Answers the oldest held {@link #sendAsync} request with this status and body (UTF-8); returns that request.
     *
     * @throws AssertionError if no request is held
     * @throws IllegalArgumentException if the request asked for a body type other than String, byte[], InputStream
     *                                  or Reader
     */
    public HttpRequest answerOne(int code, String body) {
        Call call = poll();
        call.future().complete(new HeldResponse<>(code, body(call.type(), body), call.request()));
        return call.request();
    }

    /** Fails the oldest held {@link #sendAsync} request with this error (no response at all); returns that request. */
    public HttpRequest failOne(Throwable error) {
        Call call = poll();
        call.future().completeExceptionally(error);
        return call.request();
    }

    /**
     * Takes the oldest held {@link #consumeBytes} request, for the test to answer.
     *
     * @throws AssertionError if none is held
     */
    public HeldStream nextStream() {
        HeldStream stream = streams.poll();
        if (stream == null) {
            throw new AssertionError("no watch request in flight");
        }
        return stream;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
        CompletableFuture f = new CompletableFuture<>();
        sent(request);
        held.add(new Call(request, type, f));
        return f;
    }

    @Override
    public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(
            HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        HeldStream stream = new HeldStream(request, consumer);
        sent(request);
        streams.add(stream);
        return stream.response();
    }

    @Override
    public HttpRequest.Builder newHttpRequestBuilder() {
        return new StandardHttpRequest.Builder();
    }

    @Override
    public DerivedClientBuilder newBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public void close() {}

    private void sent(HttpRequest request) {
        requests.add(request);
        sentPaths.add(request.uri().getPath());
    }

    private Call poll() {
        Call call = held.poll();
        if (call == null) {
            throw new AssertionError("no request in flight");
        }
        return call;
    }

    private static Object body(Class<?> type, String body) {
        if (type == String.class) {
            return body;
        } else if (type == byte[].class) {
            return body.getBytes(StandardCharsets.UTF_8);
        } else if (type == InputStream.class) {
            return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        } else if (type == Reader.class) {
            return new StringReader(body);
        }
        throw new IllegalArgumentException("HeldHttpClient cannot answer a body of type " + type.getName());
    }
}
