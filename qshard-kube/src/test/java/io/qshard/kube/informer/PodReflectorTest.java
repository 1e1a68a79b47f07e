package io.qshard.kube.informer;

import static io.qshard.kube.informer.WatchJson.MALFORMED;
import static io.qshard.kube.informer.WatchJson.bookmark;
import static io.qshard.kube.informer.WatchJson.error;
import static io.qshard.kube.informer.WatchJson.event;
import static io.qshard.kube.informer.WatchJson.pod;
import static io.qshard.kube.informer.WatchJson.podList;
import static io.qshard.kube.informer.WatchJson.query;
import static io.qshard.kube.informer.WatchJson.undecodable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.qshard.kube.convert.RawPod;
import io.qshard.kube.testing.HeldHttpClient;
import io.qshard.kube.testing.HeldStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pod reflector against an HTTP client the test answers: LIST, WATCH, resume, 410 Gone, retries, close. */
class PodReflectorTest {
    private final HeldHttpClient http = new HeldHttpClient();
    /** What the sink was told, in order: "upsert uid@resourceVersion", "delete uid", "relisted count". */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final PodReflector reflector = new PodReflector(
            http,
            "https://apiserver:6443",
            new PodReflector.Sink() {
                @Override
                public void upsert(RawPod pod) {
                    seen.add("upsert " + pod.uid() + "@" + pod.resourceVersion());
                }

                @Override
                public void delete(String uid) {
                    seen.add("delete " + uid);
                }

                @Override
                public void relisted(int count) {
                    seen.add("relisted " + count);
                }
            },
            Duration.ofMillis(1));

    @AfterEach
    void close() {
        reflector.close();
    }

    /** For the reflector's own threads: a generous deadline, polled often (every step of a test waits once). */
    private static ConditionFactory await() {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2));
    }

    /** Awaits the next LIST and answers it with these pods at this list resourceVersion. */
    private HttpRequest answerList(String resourceVersion, String... pods) {
        await().until(() -> http.holding() == 1);
        return http.answerOne(200, podList(resourceVersion, pods));
    }

    private HeldStream awaitWatch() {
        await().until(() -> http.streamsHolding() == 1);
        return http.nextStream();
    }

    /** Starts, answers the first LIST, and opens the watch that follows it. */
    private HeldStream synced(String resourceVersion, String... pods) {
        reflector.start();
        answerList(resourceVersion, pods);
        HeldStream watch = awaitWatch();
        watch.respond(200);
        return watch;
    }

    @Test
    void theFirstListIsFromTheWatchCacheAndTheWatchStartsFromItsVersion() {
        CompletableFuture<Void> started = reflector.start();
        await().until(() -> http.holding() == 1);
        assertThat(started).isNotDone();
        HttpRequest list = http.answerOne(200, podList("100", pod("u1", "90"), MALFORMED, pod("u2", "95")));
        assertThat(list.uri().getPath()).isEqualTo("/api/v1/pods");
        assertThat(query(list)).containsExactly(entry("resourceVersion", "0"));

        HeldStream watch = awaitWatch();
        assertThat(started).isCompleted();
        assertThat(reflector.hasSynced()).isTrue();
        assertThat(seen).containsExactly("upsert u1@90", "upsert u2@95"); // the first list is no re-list
        assertThat(reflector.malformed()).isEqualTo(1);
        assertThat(watch.request().uri().getPath()).isEqualTo("/api/v1/pods");
        assertThat(query(watch.request()))
                .containsEntry("watch", "true")
                .containsEntry("allowWatchBookmarks", "true")
                .containsEntry("resourceVersion", "100")
                .containsKey("timeoutSeconds");
        assertThat(Integer.parseInt(query(watch.request()).get("timeoutSeconds")))
                .isBetween(300, 599);
        assertThat(reflector.lists()).isEqualTo(1);
    }

    @Test
    void watchEventsReachTheSinkInOrderWhereverTheStreamIsCut() {
        HeldStream watch = synced("100", pod("u1", "90"), pod("u2", "95"));
        String added = event("ADDED", pod("u3", "101"));
        int cut = added.length() / 2;
        watch.push(added.substring(0, cut));
        watch.push(added.substring(cut), event("MODIFIED", pod("u1", "102"))); // one chunk in two buffers
        watch.push(event("ADDED", MALFORMED) + event("DELETED", pod("u2", "104")));
        await().until(() -> seen.size() == 5);
        assertThat(seen).containsExactly("upsert u1@90", "upsert u2@95", "upsert u3@101", "upsert u1@102", "delete u2");
        assertThat(reflector.malformed()).isEqualTo(1);
        assertThat(reflector.events()).isEqualTo(4);
    }

    @Test
    void aWatchThatEndsIsResumedFromTheLastVersionWithoutAList() {
        HeldStream watch = synced("100", pod("u1", "90"));
        watch.push(event("ADDED", pod("u2", "101")));
        watch.end();
        HeldStream next = awaitWatch();
        assertThat(query(next.request())).containsEntry("resourceVersion", "101");
        next.respond(200);
        next.push(event("DELETED", pod("u2", "102")));
        await().until(() -> seen.size() == 3);
        assertThat(seen).containsExactly("upsert u1@90", "upsert u2@101", "delete u2");
        assertThat(reflector.lists()).isEqualTo(1);
        assertThat(http.holding()).isZero();
    }

    @Test
    void aBookmarkMovesTheVersionTheNextWatchResumesFrom() {
        HeldStream watch = synced("100", pod("u1", "90"));
        watch.push(event("MODIFIED", pod("u1", "101")), bookmark("250"));
        watch.end();
        HeldStream next = awaitWatch();
        assertThat(query(next.request())).containsEntry("resourceVersion", "250");
        assertThat(seen).containsExactly("upsert u1@90", "upsert u1@101");
        assertThat(reflector.lists()).isEqualTo(1);
    }

    @Test
    void aFailedWatchIsRetriedWithBackoffFromTheSameVersionWithoutAList() {
        HeldStream watch = synced("100", pod("u1", "90"));
        watch.push(event("ADDED", pod("u2", "101")));
        watch.breakWith(new IOException("connection reset"));
        HeldStream refusedWith500 = awaitWatch();
        refusedWith500.respond(500);
        HeldStream refused = awaitWatch();
        assertThat(refusedWith500.cancelled())
                .as("the error response's body is released")
                .isTrue();
        refused.refuse(new IOException("connection refused"));
        HeldStream erroring = awaitWatch();
        erroring.respond(200);
        erroring.push(error(500));
        HeldStream last = awaitWatch();
        assertThat(erroring.cancelled()).isTrue();
        for (HeldStream w : List.of(refusedWith500, refused, erroring, last)) {
            assertThat(query(w.request())).containsEntry("resourceVersion", "101");
        }
        assertThat(reflector.backoffMillis()).isEqualTo(16); // 1, 2, 4 and 8 ms used
        assertThat(reflector.lists()).isEqualTo(1);

        last.respond(200);
        last.end(); // a watch that ran its course resets the backoff
        awaitWatch();
        assertThat(reflector.backoffMillis()).isEqualTo(1);
        assertThat(seen).containsExactly("upsert u1@90", "upsert u2@101");
    }

    @Test
    void goneAsAWatchStatusRelistsWithAConsistentReadAndDeletesWhatVanishedOnce() {
        HeldStream watch = synced("100", pod("u1", "90"), pod("u2", "91"), pod("u3", "92"));
        watch.push(event("DELETED", pod("u3", "101")));
        watch.end();
        HeldStream gone = awaitWatch();
        gone.respond(410);
        HttpRequest relist = answerList("150", pod("u1", "120"), pod("u4", "140"));
        assertThat(query(relist)).doesNotContainKey("resourceVersion"); // not from the watch cache
        assertThat(gone.cancelled()).isTrue();

        HeldStream next = awaitWatch();
        assertThat(query(next.request())).containsEntry("resourceVersion", "150");
        assertThat(seen)
                .containsExactly(
                        "upsert u1@90",
                        "upsert u2@91",
                        "upsert u3@92",
                        "delete u3",
                        "upsert u1@120",
                        "upsert u4@140",
                        "delete u2",
                        "relisted 2");
        assertThat(reflector.lists()).isEqualTo(2);
    }

    @Test
    void goneAsAnErrorEventRelistsWithAConsistentReadAndDeletesWhatVanishedOnce() {
        HeldStream watch = synced("100", pod("u1", "90"), pod("u2", "91"));
        watch.push(event("ADDED", pod("u3", "101")), error(410));
        HttpRequest relist = answerList("160", pod("u2", "91"), pod("u3", "101"));
        assertThat(watch.cancelled()).isTrue();
        assertThat(query(relist)).doesNotContainKey("resourceVersion");
        HeldStream second = awaitWatch();
        assertThat(query(second.request())).containsEntry("resourceVersion", "160");

        second.respond(200);
        second.push(error(410));
        HttpRequest again = answerList("170", pod("u2", "91"), pod("u3", "101"));
        assertThat(query(again)).doesNotContainKey("resourceVersion");
        HeldStream third = awaitWatch();
        assertThat(query(third.request())).containsEntry("resourceVersion", "170");
        assertThat(seen)
                .containsExactly(
                        "upsert u1@90",
                        "upsert u2@91",
                        "upsert u3@101",
                        "upsert u2@91",
                        "upsert u3@101",
                        "delete u1",
                        "relisted 2",
                        "upsert u2@91",
                        "upsert u3@101",
                        "relisted 2");
        assertThat(reflector.lists()).isEqualTo(3);
    }

    private static String resource(String path) {
        try (InputStream in = PodReflectorTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void podsAskingMoreThanALongAreDecodedAndTheirDeletionsDelivered() {
        // recorded from a 1.20 apiserver: the MODIFIED (deletionTimestamp set) and DELETED events of a pod asking for
        // "ephemeral-storage: 10Ei", served as 9223372036854775807; and a pod asking for cpu "1e18" (beyond a long in
        // milli-cores), as the apiserver serves it, added then deleted. Both saturate (QuantitiesTest): none is
        // dropped.
        String recorded = resource("/pods/ephemeral-10Ei-capped.watch");
        assertThat(recorded).contains("\"ephemeral-storage\":\"9223372036854775807\"");
        String cpu = resource("/pods/cpu-1e18-widget-20E.json");
        assertThat(cpu).contains("\"cpu\": \"1e18\"");
        HeldStream watch = synced("100", pod("u1", "90"));
        watch.push(
                recorded,
                event("ADDED", cpu),
                event("DELETED", cpu.replace("\"resourceVersion\": \"209\"", "\"resourceVersion\": \"213\"")));
        await().until(() -> seen.size() == 5);
        String ephemeral = "b412e993-ec3a-49f2-911d-c32eceef30b0";
        String cpuPod = "9e42e8ea-13bf-4807-bc02-59c4fe5674a9";
        assertThat(seen)
                .containsExactly(
                        "upsert u1@90",
                        "upsert " + ephemeral + "@211",
                        "delete " + ephemeral,
                        "upsert " + cpuPod + "@209",
                        "delete " + cpuPod);
        assertThat(reflector.malformed()).isZero();
        watch.end();
        assertThat(query(awaitWatch().request())).containsEntry("resourceVersion", "213");
    }

    @Test
    void anUndecodableDeletionStillReleasesThePodByItsUid() {
        HeldStream watch = synced("100", pod("u1", "90"), pod("u2", "95"), pod("u3", "96"));
        watch.push(
                event("MODIFIED", undecodable("u1", "101", false)), // left out: u1 stays at version 90
                event("DELETED", undecodable("u2", "102", false)), // released by the uid in its metadata
                event("DELETED", undecodable("u3", "103", true)), // wherever the metadata stands
                event("ADDED", pod("u4", "104")));
        await().until(() -> seen.size() == 6);
        assertThat(seen)
                .containsExactly(
                        "upsert u1@90", "upsert u2@95", "upsert u3@96", "delete u2", "delete u3", "upsert u4@104");
        assertThat(reflector.malformed()).isEqualTo(3);
        assertThat(reflector.events()).isEqualTo(4);

        watch.push(event("MODIFIED", undecodable("u4", "105", false)));
        watch.end();
        HeldStream next = awaitWatch();
        assertThat(query(next.request())).containsEntry("resourceVersion", "105"); // passed, though left out
        assertThat(seen).hasSize(6);
    }

    @Test
    void aReListMeetingAnUndecodablePodDoesNotReportItDeleted() {
        HeldStream watch = synced("100", pod("u1", "90"), pod("u2", "95"), pod("u3", "96"));
        watch.push(error(410));
        answerList("150", undecodable("u1", "120", false), pod("u2", "121")); // u3 vanished
        awaitWatch();
        assertThat(seen)
                .containsExactly(
                        "upsert u1@90",
                        "upsert u2@95",
                        "upsert u3@96",
                        "upsert u2@121",
                        "delete u3", // u1 is still there, at the version last delivered
                        "relisted 1");
        assertThat(reflector.malformed()).isEqualTo(1);
    }

    @Test
    void aFailedListIsRetriedWithBackoffAndStartCompletesOnlyOnceAListWasDelivered() {
        CompletableFuture<Void> started = reflector.start();
        await().until(() -> http.holding() == 1);
        http.answerOne(500, "{\"kind\":\"Status\",\"code\":500}");
        await().until(() -> http.holding() == 1);
        http.failOne(new IOException("connection refused"));
        await().until(() -> http.holding() == 1);
        String cutShort = podList("100", pod("u1", "90"), pod("u2", "91"));
        http.answerOne(200, cutShort.substring(0, cutShort.indexOf("u2") + 5)); // cut inside the second pod
        await().until(() -> http.holding() == 1);
        assertThat(started).isNotDone();
        assertThat(reflector.hasSynced()).isFalse();
        assertThat(reflector.backoffMillis()).isEqualTo(8); // 1, 2 and 4 ms used

        answerList("100", pod("u1", "90"), pod("u2", "91"));
        awaitWatch();
        assertThat(started).isCompleted();
        assertThat(http.requests()).hasSize(5);
        for (HttpRequest list : http.requests().subList(0, 4)) {
            assertThat(query(list)).containsExactly(entry("resourceVersion", "0"));
        }
        // the cut-short list delivered u1 before it broke; the first list that succeeded is no re-list
        assertThat(seen).containsExactly("upsert u1@90", "upsert u1@90", "upsert u2@91");
        assertThat(reflector.lists()).isEqualTo(4);
        assertThat(reflector.backoffMillis()).isEqualTo(1);
    }

    @Test
    void closeCancelsTheWatchAndNothingIsSentAfterIt() {
        HeldStream watch = synced("100", pod("u1", "90"));
        reflector.close();
        await().until(reflector::stopped);
        assertThat(watch.cancelled()).isTrue();
        watch.push(event("ADDED", pod("u2", "101")));
        watch.end();
        assertThat(seen).containsExactly("upsert u1@90");
        assertThat(http.requests()).hasSize(2);
        assertThat(http.streamsHolding()).isZero();
    }

    @Test
    void aWatchAnsweredAfterCloseIsCancelledAndDeliversNothing() {
        reflector.start();
        answerList("100", pod("u1", "90"));
        HeldStream watch = awaitWatch();
        reflector.close();
        await().until(reflector::stopped);
        watch.respond(200);
        watch.push(event("ADDED", pod("u2", "101")));
        assertThat(watch.cancelled()).isTrue();
        assertThat(seen).containsExactly("upsert u1@90");
    }

    @Test
    void aListAnsweredAfterCloseDeliversNothingAndStartsNoWatch() {
        CompletableFuture<Void> started = reflector.start();
        await().until(() -> http.holding() == 1);
        reflector.close();
        await().until(reflector::stopped);
        http.answerOne(200, podList("100", pod("u1", "90")));
        assertThat(seen).isEmpty();
        assertThat(started).isNotDone();
        assertThat(http.requests()).hasSize(1);
    }

    @Test
    void aNonPositiveBackoffIsRefusedByName() {
        assertThatThrownBy(() -> new PodReflector(
                        http,
                        "https://apiserver:6443",
                        new PodReflector.Sink() {
                            @Override
                            public void upsert(RawPod pod) {}

                            @Override
                            public void delete(String uid) {}
                        },
                        Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialBackoff");
    }
}
