package io.qshard.shard.binder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.kube.testing.HeldHttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** awaitCapacity(n) against an HTTP client whose answers the test releases one by one. */
class BinderCapacityTest {
    private final HeldHttpClient http = new HeldHttpClient();
    private final Binder binder = new Binder(http, "https://apiserver:6443/", 4, 0);
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
        BlockingCall waiter = BlockingCall.start(() -> binder.awaitCapacity(3));
        AtomicBoolean returned = waiter.returned();
        // answer only once the waiter is parked inside awaitCapacity: answered earlier, it would find a free
        // slot on entry and return at once (correctly), and the test would not test the wait
        await().atMost(Duration.ofSeconds(5)).until(() -> LockSupport.getBlocker(waiter.thread) == binder);
        http.answerOne(201);
        http.answerOne(201);
        // two of four slots free: still waiting (for longer than its 50 ms re-check)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !returned.get());
        http.answerOne(409);
        await().atMost(Duration.ofSeconds(2)).untilTrue(returned);
        waiter.thread.join();
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
        BlockingCall waiter = BlockingCall.start(() -> binder.awaitCapacity(2));
        waiter.thread.interrupt();
        await().atMost(Duration.ofSeconds(2)).untilTrue(waiter.interrupted());
    }
}
