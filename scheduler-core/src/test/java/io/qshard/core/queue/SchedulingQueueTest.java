package io.qshard.core.queue;

import static io.qshard.core.testing.Fixtures.T0;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
    private final TestClock clock = new TestClock(T0);
    private final SchedulingQueue q = new SchedulingQueue(clock, BackoffPolicy.defaults(), Duration.ofSeconds(60));

    private String popUid() {
        return q.pop().orElseThrow().uid();
    }

    @Test
    void activeOrderIsPriorityThenAgeThenUid() {
        q.add(pod("young-prod", "prod", 1, 0).created(T0.plusSeconds(10)).build());
        q.add(pod("old-batch", "batch", 1, 0).created(T0).build());
        q.add(pod("old-prod", "prod", 1, 0).created(T0).build());
        q.add(pod("b-same", "prod", 1, 0).created(T0).build());
        assertThat(popUid()).isEqualTo("b-same"); // same priority and age as old-prod: uid order
        assertThat(popUid()).isEqualTo("old-prod");
        assertThat(popUid()).isEqualTo("young-prod");
        assertThat(popUid()).isEqualTo("old-batch"); // batch priority 5000 < prod 9000
        assertThat(q.pop()).isEmpty();
    }

    @Test
    void backoffDoublesPerAttemptUpToTheCap() {
        BackoffPolicy b = BackoffPolicy.defaults();
        assertThat(b.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.after(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.after(5)).isEqualTo(Duration.ofSeconds(10)); // 16 s capped at 10 s
        assertThat(b.after(50)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aFailedPodWaitsForItsBackoff() {
        q.add(pod("p", "prod", 1, 0).build());
        QueuedPod popped = q.pop().orElseThrow();
        q.requeueAfterError(popped); // attempt 1 → 1 s
        assertThat(q.pop()).isEmpty();
        clock.advance(Duration.ofMillis(999));
        assertThat(q.pop()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        QueuedPod again = q.pop().orElseThrow();
        assertThat(again.attempts()).isEqualTo(1);
        q.requeueAfterError(again); // attempt 2 → 2 s
        clock.advance(Duration.ofMillis(1999));
        assertThat(q.pop()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(q.pop()).isPresent();
    }

    @Test
    void unschedulablePodsWaitForAClusterEvent() {
        q.add(pod("p", "prod", 1, 0).build());
        q.requeueUnschedulable(q.pop().orElseThrow());
        clock.advance(Duration.ofSeconds(30)); // backoff long over, but no event yet
        assertThat(q.pop()).isEmpty();
        assertThat(q.sizes().unschedulable()).isEqualTo(1);
        q.onClusterEvent(); // e.g. a node was added
        assertThat(popUid()).isEqualTo("p");
    }

    @Test
    void anEventDuringTheAttemptIsNotLost() {
        q.add(pod("p", "prod", 1, 0).build());
        QueuedPod inFlight = q.pop().orElseThrow();
        q.onClusterEvent(); // node added while p was being scheduled
        q.requeueUnschedulable(inFlight);
        assertThat(q.sizes().unschedulable()).isZero();
        assertThat(q.sizes().backoff()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(popUid()).isEqualTo("p");
    }

    @Test
    void unschedulablePodsAreRetriedAfterTheTimeoutAnyway() {
        q.add(pod("p", "prod", 1, 0).build());
        q.requeueUnschedulable(q.pop().orElseThrow());
        clock.advance(Duration.ofSeconds(59));
        assertThat(q.pop()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(popUid()).isEqualTo("p");
    }

    @Test
    void deletedPodsLeaveEverySetIncludingInFlight() {
        q.add(pod("a", "prod", 1, 0).build());
        q.add(pod("b", "prod", 1, 0).build());
        QueuedPod a = q.pop().orElseThrow();
        q.delete("a");
        q.delete("b");
        q.requeueAfterError(a);
        clock.advance(Duration.ofMinutes(5));
        assertThat(q.pop()).isEmpty();
        assertThat(q.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0, 0, 0));
    }

    @Test
    void anUpdateGivesAnUnschedulablePodAnotherTryAndKeepsTheLatestVersion() {
        q.add(pod("p", "prod", 1, 0).build());
        q.requeueUnschedulable(q.pop().orElseThrow());
        clock.advance(Duration.ofSeconds(2));
        q.update(pod("p", "prod", 1, 0).selector("zone", "b").build());
        QueuedPod again = q.pop().orElseThrow();
        assertThat(again.pod().nodeSelector()).containsEntry("zone", "b");
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void addingAKnownPodIsAnUpdateNotADuplicate() {
        q.add(pod("p", "prod", 1, 0).build());
        q.add(pod("p", "prod", 2, 0).build());
        assertThat(q.sizes().active()).isEqualTo(1);
        assertThat(q.pop().orElseThrow().pod().requests().milliCpu()).isEqualTo(2);
    }

    @Test
    void takeWaitsForBackoffExpiryOnTheInjectedClock() throws InterruptedException {
        q.add(pod("p", "prod", 1, 0).build());
        q.requeueAfterError(q.pop().orElseThrow());
        assertThat(q.take(Duration.ofMillis(50))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.take(Duration.ofMillis(50))).isPresent();
    }

    @Test
    void aGatedPodIsHeldBackUntilAnUpdatePassesTheCheckThenQueuedAtOnce() {
        // the check stands for a PreEnqueue plugin such as scheduling gates: pods with a "gate" selector wait
        SchedulingQueue gatedQueue = new SchedulingQueue(
                clock,
                BackoffPolicy.defaults(),
                Duration.ofSeconds(60),
                p -> p.nodeSelector().containsKey("gate")
                        ? io.qshard.core.framework.Status.unschedulable("Gates", "gated")
                        : io.qshard.core.framework.Status.SUCCESS);
        gatedQueue.add(pod("g", "prod", 1, 0).selector("gate", "x").build());
        gatedQueue.add(pod("free", "prod", 1, 0).build());
        assertThat(gatedQueue.sizes()).isEqualTo(new SchedulingQueue.Sizes(1, 0, 0, 0, 1));
        assertThat(gatedQueue.pop().orElseThrow().uid()).isEqualTo("free");
        assertThat(gatedQueue.pop()).isEmpty();
        gatedQueue.onClusterEvent(); // cluster events do not release a gated pod: only its own update does
        assertThat(gatedQueue.pop()).isEmpty();

        gatedQueue.update(pod("g", "prod", 1, 0).selector("gate", "y").build()); // still gated
        assertThat(gatedQueue.pop()).isEmpty();
        gatedQueue.update(pod("g", "prod", 1, 0).build()); // gate removed
        assertThat(gatedQueue.pop().orElseThrow().uid()).isEqualTo("g");
        assertThat(gatedQueue.sizes().gated()).isZero();
    }

    @Test
    void aDeletedGatedPodIsForgotten() {
        SchedulingQueue gatedQueue = new SchedulingQueue(
                clock,
                BackoffPolicy.defaults(),
                Duration.ofSeconds(60),
                p -> io.qshard.core.framework.Status.unschedulable("Gates", "gated"));
        gatedQueue.add(pod("g", "prod", 1, 0).build());
        gatedQueue.delete("g");
        assertThat(gatedQueue.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0, 0, 0));
    }
}
