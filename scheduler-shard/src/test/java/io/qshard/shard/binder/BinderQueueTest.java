package io.qshard.shard.binder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.kube.testing.HeldHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bindings handed over while every slot is busy wait in the binder and are sent, in order, as answers arrive. */
class BinderQueueTest {
    private final HeldHttpClient http = new HeldHttpClient();
    private final List<BindOutcome.Kind> outcomes = new CopyOnWriteArrayList<>();
    private Binder binder;

    @AfterEach
    void close() {
        binder.close();
    }

    private void bind(int i) throws InterruptedException {
        binder.bind("ns", "p" + i, "u" + i, "n1", o -> outcomes.add(o.kind()));
    }

    private static String path(int i) {
        return "/api/v1/namespaces/ns/pods/p" + i + "/binding";
    }

    @Test
    void waitingBindingsAreSentInOrderAsAnswersArrive() throws Exception {
        binder = new Binder(http, "https://apiserver:6443", 2, 3);
        for (int i = 0; i < 5; i++) {
            bind(i); // 2 slots + 3 waiting: none of these blocks
        }
        assertThat(http.sentPaths).containsExactly(path(0), path(1));
        assertThat(binder.inFlight()).isEqualTo(2);
        assertThat(binder.queued()).isEqualTo(3);
        http.answerOne(201); // p0 answered: its slot goes to p2 at once, from the answering thread
        assertThat(http.sentPaths).containsExactly(path(0), path(1), path(2));
        assertThat(binder.inFlight()).isEqualTo(2);
        assertThat(binder.queued()).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            http.answerOne(201);
        }
        assertThat(http.sentPaths).containsExactly(path(0), path(1), path(2), path(3), path(4));
        assertThat(outcomes).hasSize(5).containsOnly(BindOutcome.Kind.BOUND);
        assertThat(binder.inFlight()).isZero();
        assertThat(binder.awaitIdle(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void bindBlocksOnlyWhenSlotsAndQueueAreFull() throws Exception {
        binder = new Binder(http, "https://apiserver:6443", 2, 1);
        for (int i = 0; i < 3; i++) {
            bind(i);
        }
        BlockingCall decider = BlockingCall.start(() -> bind(3));
        AtomicBoolean handedOver = decider.returned();
        await().atMost(Duration.ofSeconds(5)).until(() -> decider.thread.getState() == Thread.State.WAITING);
        assertThat(handedOver).isFalse();
        http.answerOne(201);
        await().atMost(Duration.ofSeconds(2)).untilTrue(handedOver);
        assertThat(binder.inFlight()).isEqualTo(2);
        assertThat(binder.queued()).isEqualTo(1);
    }

    @Test
    void abandoningFailsOnlyTheUnsentAndNothingIsSentLater() throws Exception {
        binder = new Binder(http, "https://apiserver:6443", 2, 2);
        for (int i = 0; i < 4; i++) {
            bind(i);
        }
        assertThat(binder.abandonQueued("leadership lost")).isEqualTo(2);
        assertThat(outcomes).containsExactly(BindOutcome.Kind.NOT_SENT, BindOutcome.Kind.NOT_SENT);
        http.answerOne(201);
        http.answerOne(201);
        assertThat(http.sentPaths).containsExactly(path(0), path(1));
        assertThat(outcomes)
                .containsExactly(
                        BindOutcome.Kind.NOT_SENT,
                        BindOutcome.Kind.NOT_SENT,
                        BindOutcome.Kind.BOUND,
                        BindOutcome.Kind.BOUND);
        assertThat(binder.awaitIdle(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void closeAbandonsTheWaitingAndRefusesNewOnesButLetsSentOnesFinish() throws Exception {
        binder = new Binder(http, "https://apiserver:6443", 1, 1);
        bind(0);
        bind(1);
        binder.close();
        bind(2);
        assertThat(outcomes).containsExactly(BindOutcome.Kind.NOT_SENT, BindOutcome.Kind.NOT_SENT);
        http.answerOne(201);
        assertThat(outcomes).endsWith(BindOutcome.Kind.BOUND).hasSize(3);
        assertThat(http.sentPaths).containsExactly(path(0));
    }

    @Test
    void awaitCapacityCountsWaitingBindings() throws Exception {
        binder = new Binder(http, "https://apiserver:6443", 2, 2);
        for (int i = 0; i < 4; i++) {
            bind(i);
        }
        BlockingCall waiter = BlockingCall.start(() -> binder.awaitCapacity(2));
        AtomicBoolean returned = waiter.returned();
        await().atMost(Duration.ofSeconds(5)).until(() -> LockSupport.getBlocker(waiter.thread) == binder);
        http.answerOne(201); // p2 takes the slot: one of four free
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !returned.get());
        http.answerOne(201); // p3 takes it: two free
        await().atMost(Duration.ofSeconds(2)).untilTrue(returned);
        assertThat(binder.inFlight()).isEqualTo(2);
        assertThat(binder.queued()).isZero();
    }
}
