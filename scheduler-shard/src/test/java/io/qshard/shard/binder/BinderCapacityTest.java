package io.qshard.shard.binder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.WebSocket;

/** awaitCapacity(n) against an HTTP client whose answers the test releases one by one. */
class BinderCapacityTest {
    private final HeldClient http = new HeldClient();
    private final Binder binder = new Binder(http, "https://apiserver:6443/", 4);
    private final AtomicInteger outcomes = new AtomicInteger();

    @AfterEach
    void close() {
        binder.close();
    }

    @Test
    void waitsUntilNSlotsAreFreeAndNoLonger() throws Exception {
        for (int i = 0; i < 4; i++) {
            binder.bind("ns", "p" + i, "u" + i, "n1", o -> outcomes.incrementAndGet());
        }
        assertThat(binder.inFlight()).isEqualTo(4);
        AtomicBoolean returned = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                binder.awaitCapacity(3);
                returned.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        // answer only once the waiter is parked inside awaitCapacity: answered earlier, it would find a free
        // slot on entry and return at once (correctly), and the test would not test the wait
        await().atMost(Duration.ofSeconds(5)).until(() -> LockSupport.getBlocker(waiter) == binder);
        http.answerOne(201);
        http.answerOne(201);
        // two of four slots free: still waiting (for longer than its 50 ms re-check)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !returned.get());
        http.answerOne(409);
        await().atMost(Duration.ofSeconds(2)).untilTrue(returned);
        waiter.join();
        assertThat(outcomes).hasValue(3);
        assertThat(binder.inFlight()).isEqualTo(1);
    }

    @Test
    void returnsAtOnceWhileASlotIsFree() throws Exception {
        binder.bind("ns", "p", "u", "n1", o -> outcomes.incrementAndGet());
        binder.awaitCapacity(4); // 3 of 4 free: not a wait for all four
        assertThat(binder.inFlight()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitThrows() throws Exception {
        for (int i = 0; i < 4; i++) {
            binder.bind("ns", "p" + i, "u" + i, "n1", o -> outcomes.incrementAndGet());
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                binder.awaitCapacity(2);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        waiter.start();
        waiter.interrupt();
        await().atMost(Duration.ofSeconds(2)).untilTrue(interrupted);
    }

    /** Holds every request until the test answers it. */
    private static final class HeldClient implements HttpClient {
        private final ConcurrentLinkedQueue<CompletableFuture<HttpResponse<?>>> held = new ConcurrentLinkedQueue<>();

        void answerOne(int code) {
            CompletableFuture<HttpResponse<?>> f = held.poll();
            assertThat(f).as("a request in flight").isNotNull();
            f.complete(response(code));
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
            CompletableFuture f = new CompletableFuture<>();
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
}
