package io.qshard.kube.informer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.convert.PodJsonReader;
import io.qshard.kube.convert.RawPod;
import io.qshard.kube.convert.UndecodablePod;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * List + watch of every pod, decoded in place by {@link PodJsonReader} — client-go's reflector, lean:
 * <ul>
 *   <li>the first LIST is served from the apiserver's watch cache ({@code resourceVersion=0}, no {@code limit});
 *       a re-list after {@code 410 Gone} is a consistent read, as client-go does;</li>
 *   <li>the WATCH ({@code allowWatchBookmarks}, randomised {@code timeoutSeconds}) is split into lines and decoded
 *       on the HTTP client's I/O thread as each chunk arrives: no JSON tree, no model objects, and no hand-off.
 *       Measured on 2 cores (bench/RESULTS.md): handing each chunk to a decoding thread cost more — a wake-up and
 *       a context switch per watch event — than the ~15 µs decode it moved off the I/O thread;</li>
 *   <li>a watch that ends is resumed from the last resourceVersion; one that fails is retried with backoff
 *       (1 s doubling to 30 s, back to 1 s after a successful LIST or a watch that ended normally) for ever;
 *       {@code 410 Gone} triggers a re-list, after which pods that vanished are reported deleted.</li>
 * </ul>
 * Events go to the {@link Sink} in API order, from one thread at a time: the reflector's thread for LISTs, the
 * I/O thread for a watch (a watch starts after its LIST is delivered and a re-list only after the watch ended).
 * A pod whose body cannot be decoded ({@link PodJsonReader#read(JsonParser, Consumer)}) is logged (namespace, name,
 * uid and why) and counted ({@link #malformed()}), and changes nothing but what must not wait: its deletion still
 * reaches the sink by the uid in its metadata, and a re-list that meets it again does not report it deleted (the
 * version last delivered, if any, stays); an added or modified one is left out, every other pod of the list or
 * stream is delivered. Only a watch event that is not well-formed JSON is skipped whole. Thread-safe.
 */
public final class PodReflector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodReflector.class);
    private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Receives decoded pods. Calls never overlap. */
    public interface Sink {
        void upsert(RawPod pod);

        void delete(String uid);

        /** A re-list (after the first) finished; {@code count} pods were listed and delivered. */
        default void relisted(int count) {}
    }

    private final HttpClient http;
    private final String base;
    private final Sink sink;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qshard-pod-reflector");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private final AtomicInteger lists = new AtomicInteger();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final long initialBackoffMillis;
    private volatile String resourceVersion;
    private volatile boolean closed;
    private volatile AsyncBody watchBody;
    /** The delay before the next retry; written by the reflector's thread only. */
    private volatile long backoffMillis;

    /** A reflector of every pod, through {@code client}'s HTTP client; nothing is sent before {@link #start()}. */
    public PodReflector(KubernetesClient client, Sink sink) {
        this(client.getHttpClient(), ApiserverConnection.baseUrl(client), sink, INITIAL_BACKOFF);
    }

    /**
     * A reflector of every pod at {@code apiBase} (scheme, host and port, no trailing slash) through {@code http}.
     *
     * @param initialBackoff the first retry delay after a failure, doubling to 30 s; positive
     */
    PodReflector(HttpClient http, String apiBase, Sink sink, Duration initialBackoff) {
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
        }
        this.http = http;
        this.base = apiBase + "/api/v1/pods";
        this.sink = sink;
        this.initialBackoffMillis = initialBackoff.toMillis();
        this.backoffMillis = initialBackoffMillis;
    }

    /** Lists, then watches; the future completes when the first list has been delivered. */
    public CompletableFuture<Void> start() {
        loop.execute(() -> list(true));
        return synced;
    }

    /** LIST requests made (1 at start; one more per failed LIST retried and per 410 Gone). */
    public int lists() {
        return lists.get();
    }

    /** Pods skipped because they could not be decoded. */
    public long malformed() {
        return malformed.sum();
    }

    /** Watch events processed. */
    public long events() {
        return events.sum();
    }

    public boolean hasSynced() {
        return synced.isDone() && !synced.isCompletedExceptionally();
    }

    /** For tests: the delay before the next retry, in milliseconds. */
    long backoffMillis() {
        return backoffMillis;
    }

    /** For tests: whether the reflector's thread has stopped (after {@link #close()}). */
    boolean stopped() {
        return loop.isTerminated();
    }

    private void list(boolean fromCache) {
        if (closed) {
            return;
        }
        lists.incrementAndGet();
        HttpRequest req = http.newHttpRequestBuilder()
                .uri(URI.create(base + (fromCache ? "?resourceVersion=0" : "")))
                .build();
        http.sendAsync(req, InputStream.class)
                .whenComplete((resp, err) -> loop.execute(() -> {
                    try (InputStream in = resp == null ? null : resp.body()) {
                        if (err != null || resp.code() != 200) {
                            throw new IllegalStateException(
                                    err != null ? KubeconfigResolver.oneLine(err) : "HTTP " + resp.code());
                        }
                        int count = readList(in);
                        backoffMillis = initialBackoffMillis;
                        if (synced.isDone()) {
                            sink.relisted(count);
                        }
                        synced.complete(null);
                        watch();
                    } catch (Exception e) {
                        LOG.warn(
                                "pod list failed: {} (retrying in {} ms)",
                                KubeconfigResolver.oneLine(e),
                                backoffMillis);
                        retry(() -> list(fromCache));
                    }
                }));
    }

    private int readList(InputStream in) {
        Set<String> seen = new HashSet<>();
        int delivered = 0;
        String rv = null;
        try (JsonParser p = PodJsonReader.MAPPER.createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                p.nextToken();
                if ("metadata".equals(f)) {
                    rv = resourceVersionOf(p);
                } else if ("items".equals(f) && p.currentToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        RawPod pod = decode(p, "left out; not reported deleted", u -> {
                            if (u.uid() != null) {
                                seen.add(u.uid()); // still there: the version last delivered stays, if any
                            }
                        });
                        if (pod != null) {
                            seen.add(pod.uid());
                            known.add(pod.uid());
                            sink.upsert(pod);
                            delivered++;
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        for (String uid : Set.copyOf(known)) {
            if (!seen.contains(uid)) {
                known.remove(uid);
                sink.delete(uid); // gone while we were not watching
            }
        }
        resourceVersion = rv;
        return delivered;
    }

    private void watch() {
        if (closed) {
            return;
        }
        int timeout = 300 + ThreadLocalRandom.current().nextInt(300);
        HttpRequest req = http.newHttpRequestBuilder()
                .uri(URI.create(base + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + resourceVersion
                        + "&timeoutSeconds=" + timeout))
                .build();
        LineSplitter lines = new LineSplitter();
        http.consumeBytes(req, (List<ByteBuffer> buffers, AsyncBody body) -> {
                    lines.feed(buffers);
                    body.consume();
                })
                .whenComplete((resp, err) -> {
                    if (err != null || resp.code() != 200) {
                        String why = err != null ? KubeconfigResolver.oneLine(err) : "HTTP " + resp.code();
                        if (resp != null) {
                            resp.body().cancel(); // the error's body is not read: release the connection
                        }
                        loop.execute(() -> {
                            LOG.warn("pod watch failed: {} (retrying in {} ms)", why, backoffMillis);
                            retry(resp != null && resp.code() == 410 ? () -> list(false) : this::watch);
                        });
                        return;
                    }
                    watchBody = resp.body();
                    if (closed) { // close() may have run before watchBody was set: it could not cancel this watch
                        resp.body().cancel();
                        return;
                    }
                    resp.body()
                            .done()
                            .whenComplete((v, e) -> loop.execute(() -> {
                                if (lines.gone) {
                                    LOG.info(
                                            "pod watch: resourceVersion {} too old (410 Gone); re-listing",
                                            resourceVersion);
                                    list(false);
                                } else if (e != null && !closed) {
                                    LOG.warn(
                                            "pod watch broke: {} (resuming in {} ms)",
                                            KubeconfigResolver.oneLine(e),
                                            backoffMillis);
                                    retry(this::watch);
                                } else {
                                    backoffMillis = initialBackoffMillis;
                                    watch(); // ended normally (timeoutSeconds): resume where we were
                                }
                            }));
                    resp.body().consume();
                });
    }

    private void retry(Runnable action) {
        if (closed) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
        loop.schedule(action, delay, TimeUnit.MILLISECONDS);
    }

    /** Splits the watch stream into events and decodes them, on the HTTP I/O thread. */
    private final class LineSplitter {
        private final WatchLines lines = new WatchLines(this::event);
        volatile boolean gone;

        /** Called on the HTTP I/O thread: one bulk copy of the chunk, then whole lines are decoded at once. */
        void feed(List<ByteBuffer> buffers) {
            int total = 0;
            for (ByteBuffer b : buffers) {
                total += b.remaining();
            }
            if (total == 0) {
                return;
            }
            byte[] chunk = new byte[total];
            int at = 0;
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                b.get(chunk, at, n);
                at += n;
            }
            lines.feed(chunk);
        }

        private void event(byte[] line, int offset, int n) {
            try (JsonParser p = PodJsonReader.MAPPER.createParser(line, offset, n)) {
                p.nextToken();
                String type = null;
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if ("type".equals(f)) {
                        type = p.getString();
                    } else if ("object".equals(f) && type != null) {
                        handle(type, p);
                    } else {
                        p.skipChildren();
                    }
                }
                events.increment();
            } catch (RuntimeException e) {
                malformed.increment();
                LOG.warn("skipping undecodable pod watch event: {}", KubeconfigResolver.oneLine(e));
            }
        }

        private void handle(String type, JsonParser p) {
            switch (type) {
                case "ADDED", "MODIFIED" -> {
                    RawPod pod = decode(p, "left out", u -> advance(u.resourceVersion()));
                    if (pod != null) {
                        resourceVersion = pod.resourceVersion();
                        known.add(pod.uid());
                        sink.upsert(pod);
                    }
                }
                case "DELETED" -> {
                    RawPod pod = decode(p, "deleted by its uid", u -> {
                        advance(u.resourceVersion());
                        if (u.uid() != null) { // gone all the same: released by its uid
                            known.remove(u.uid());
                            sink.delete(u.uid());
                        }
                    });
                    if (pod != null) {
                        resourceVersion = pod.resourceVersion();
                        known.remove(pod.uid());
                        sink.delete(pod.uid());
                    }
                }
                case "BOOKMARK" -> {
                    String rv = bookmarkVersion(p);
                    if (rv != null) {
                        resourceVersion = rv;
                    }
                }
                case "ERROR" -> {
                    int code = statusCode(p);
                    if (code == 410) {
                        gone = true;
                    } else {
                        LOG.warn("pod watch error event, code {}", code);
                    }
                    AsyncBody b = watchBody;
                    if (b != null) {
                        b.cancel();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    /**
     * Decodes the pod object the parser is on, leaving the parser on its END_OBJECT; a pod that cannot be decoded is
     * logged with {@code outcome} and counted, {@code undecodable} gets what could be read of it, and null is returned.
     */
    private RawPod decode(JsonParser p, String outcome, Consumer<UndecodablePod> undecodable) {
        return PodJsonReader.read(p, u -> {
            malformed.increment();
            LOG.warn("pod {} (uid {}) cannot be decoded ({}): {}", u.key(), u.uid(), outcome, u.reason());
            undecodable.accept(u);
        });
    }

    /** On a watch event that delivered nothing: its resourceVersion is passed all the same (when it was read). */
    private void advance(String rv) {
        if (rv != null) {
            resourceVersion = rv;
        }
    }

    private static String resourceVersionOf(JsonParser p) {
        String rv = null;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("resourceVersion".equals(f)) {
                rv = p.getString();
            } else {
                p.skipChildren();
            }
        }
        return rv;
    }

    private static String bookmarkVersion(JsonParser p) {
        String rv = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("metadata".equals(f)) {
                rv = resourceVersionOf(p);
            } else {
                p.skipChildren();
            }
        }
        return rv;
    }

    private static int statusCode(JsonParser p) {
        int code = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("code".equals(f)) {
                code = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
        return code;
    }

    @Override
    public void close() {
        closed = true;
        AsyncBody b = watchBody;
        if (b != null) {
            b.cancel();
        }
        loop.shutdownNow();
    }
}
