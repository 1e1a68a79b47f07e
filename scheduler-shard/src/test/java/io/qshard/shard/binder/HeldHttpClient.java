package io.qshard.shard.binder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.WebSocket;

/** A fabric8 HTTP client that holds every request until the test answers it (oldest first). Thread-safe. */
final class HeldHttpClient implements HttpClient {
    private final ConcurrentLinkedQueue<CompletableFuture<HttpResponse<?>>> held = new ConcurrentLinkedQueue<>();
    /** Paths of every request sent, in order. */
    final List<String> sentPaths = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Requests sent and not yet answered. */
    int holding() {
        return held.size();
    }

    void answerOne(int code) {
        CompletableFuture<HttpResponse<?>> f = held.poll();
        assertThat(f).as("a request in flight").isNotNull();
        f.complete(response(code));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
        CompletableFuture f = new CompletableFuture<>();
        sentPaths.add(request.uri().getPath());
        held.add(f);
        return f;
    }

    @Override
    public HttpRequest.Builder newHttpRequestBuilder() {
        return new StandardHttpRequest.Builder();
    }

    @Override
    public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        throw new UnsupportedOperationException();
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
    public void close() {
    }

    private static HttpResponse<String> response(int code) {
        return new HttpResponse<>() {
            @Override
            public int code() {
                return code;
            }

            @Override
            public String body() {
                return "";
            }

            @Override
            public HttpRequest request() {
                return null;
            }

            @Override
            public java.util.Optional<HttpResponse<?>> previousResponse() {
                return java.util.Optional.empty();
            }

            @Override
            public List<String> headers(String key) {
                return List.of();
            }

            @Override
            public java.util.Map<String, List<String>> headers() {
                return java.util.Map.of();
            }
        };
    }
}
