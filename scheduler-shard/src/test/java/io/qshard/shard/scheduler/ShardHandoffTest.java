package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.queue.BackoffPolicy;
import io.qshard.core.queue.QueuedPod;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.shard.ShardMapView;
import io.qshard.core.shard.ShardPhase;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.shard.shardmap.AckWriter;
import io.qshard.shard.shardmap.ShardMapWatcher;
import io.qshard.shard.usage.UsageTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decision thread's side of sharding without an apiserver: queuing only owned pods, moving them on each rotation,
 * releasing nodes at once, holding decisions while an acquisition waits, and the acknowledgement protocol against an
 * {@link AckWriter} the test answers. Writing the acknowledgement itself is covered on the real apiserver by
 * {@code ShardFailoverIT} and {@code ShardRebalanceIT}.
 */
class ShardHandoffTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration ROTATION = QshardConfig.defaults().shardRotation();

    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC); // ownership at arrival: T0; ticks are given their time

    /** One instance's decision-thread state around its hand-off. */
    private final class Instance {
        final ShardGate gate;
        final ClusterState state = new ClusterState();
        final SchedulingQueue queue = new SchedulingQueue(clock, BackoffPolicy.defaults(), Duration.ofMinutes(5));
        final Map<String, String> assumed = new HashMap<>();
        final Map<String, Node> nodes = new HashMap<>();
        final ShardHandoff handoff;

        Instance(int shard, int shards) {
            this(shard, shards, null);
        }

        Instance(int shard, int shards, AckWriter acks) {
            gate = new ShardGate("batch", shard, shards, ROTATION);
            handoff = new ShardHandoff(
                    gate,
                    "test-" + shard,
                    acks,
                    null,
                    new DecisionState(state, queue, assumed, nodes, new UsageTracker(QshardConfig.defaults())),
                    clock,
                    Runnable::run,
                    () -> true);
        }

        Set<String> drain() {
            Set<String> uids = new HashSet<>();
            for (var p = queue.pop(); p.isPresent(); p = queue.pop()) {
                uids.add(p.map(QueuedPod::pod).orElseThrow().uid());
            }
            return uids;
        }
    }

    @Test
    void everyPendingPodIsQueuedByExactlyOneShard() {
        Instance a = new Instance(0, 2);
        Instance b = new Instance(1, 2);
        List<PodRequest> pods = pods(40);
        pods.forEach(p -> {
            a.handoff.pending(p);
            b.handoff.pending(p);
        });
        Set<String> byA = a.drain();
        Set<String> byB = b.drain();
        assertThat(byA).doesNotContainAnyElementsOf(byB).isNotEmpty();
        assertThat(byB).isNotEmpty();
        assertThat(union(byA, byB)).hasSize(40);
    }

    @Test
    void aRotationHandsEveryWaitingPodToTheNextShardOnTheTick() {
        Set<String> atT0 = pendingOn(new Instance(0, 2), pods(40)).drain();
        Instance a = pendingOn(new Instance(0, 2), pods(40));
        Instance b = pendingOn(new Instance(1, 2), pods(40));
        Instant later = T0.plus(ROTATION); // one rotation: (hash + 1) mod 2 — every pod changes hands
        a.handoff.tick(later);
        b.handoff.tick(later);
        Set<String> byA = a.drain();
        assertThat(byA).as("shard 0 now queues what shard 1 owned").doesNotContainAnyElementsOf(atT0);
        assertThat(union(byA, b.drain())).hasSize(40);
    }

    @Test
    void assumedAndForgottenPodsAreNotQueuedAgain() {
        Instance a = new Instance(0, 2);
        List<PodRequest> owned =
                pods(40).stream().filter(p -> a.gate.owns(p, T0)).toList();
        PodRequest assumedPod = owned.get(0);
        PodRequest boundPod = owned.get(1);
        a.assumed.put(assumedPod.uid(), "n1"); // decided here, binding in flight
        a.handoff.pending(assumedPod);
        a.handoff.pending(boundPod);
        a.queue.delete(boundPod.uid()); // bound: the scheduler deletes it from the queue and forgets it
        a.handoff.forget(boundPod.uid());
        a.handoff.tick(T0);
        a.handoff.tick(T0.plus(ROTATION)); // to shard 1 …
        a.handoff.tick(T0.plus(ROTATION.multipliedBy(2))); // … and back: a pod still tracked would be queued again here
        assertThat(a.drain()).isEmpty();
    }

    @Test
    void releasedNodesLeaveAtOnceAndAnAcquisitionHoldsDecisionsUntilAcknowledged() {
        Instance a = new Instance(0, 2);
        for (String n : List.of("n1", "n2", "n3")) {
            a.state.upsertNode(Node.of(n, Map.of(), List.of(), new Resources(8_000, 32L << 30, 110, 0, 0), false));
        }
        a.gate.apply(map(1, Map.of(0, Set.of("n1", "n2"), 1, Set.of("n3"))));
        a.gate.activate(Set.of("n1", "n2")); // as acknowledged earlier

        a.handoff.onMap(new ShardMapWatcher.Update(map(2, Map.of(0, Set.of("n1"), 1, Set.of("n2", "n3"))), "10"));
        assertThat(a.state.node("n2")).as("released at once").isEmpty();
        assertThat(a.gate.active()).containsExactly("n1");
        assertThat(a.handoff.settled()).as("nothing to acquire").isTrue();

        a.handoff.onMap(new ShardMapWatcher.Update(map(3, Map.of(0, Set.of("n1", "n3"), 1, Set.of("n2"))), "11"));
        assertThat(a.handoff.settled()).as("n3 waits for the acknowledgement").isFalse();
        assertThat(a.gate.active()).containsExactly("n1");
        assertThat(a.handoff.acknowledgedEpoch()).isZero();
    }

    /** Acknowledgements as the test answers them: each call waits for {@link #answer}. */
    private static final class HeldAcks implements AckWriter {
        final List<String> calls = new java.util.ArrayList<>();
        final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Boolean>> open = new java.util.ArrayDeque<>();

        @Override
        public java.util.concurrent.CompletableFuture<Boolean> ack(
                String tier, int shard, long epoch, ShardPhase phase, String holder, Set<String> active) {
            calls.add("epoch " + epoch + " " + new java.util.TreeSet<>(active));
            var f = new java.util.concurrent.CompletableFuture<Boolean>();
            open.add(f);
            return f;
        }

        void answer(boolean written) {
            open.poll().complete(written);
        }

        @Override
        public void close() {}
    }

    @Test
    void theAcknowledgementWaitsForBindingsToReleasedNodesAndOnlyAWrittenOneActivatesTheAcquiredNodes() {
        HeldAcks acks = new HeldAcks();
        Instance a = new Instance(0, 2, acks);
        for (String n : List.of("n1", "n2", "n3")) {
            Node node = Node.of(n, Map.of(), List.of(), new Resources(8_000, 32L << 30, 110, 0, 0), false);
            a.nodes.put(n, node);
            if (!n.equals("n3")) {
                a.state.upsertNode(node);
            }
        }
        a.gate.apply(map(1, Map.of(0, Set.of("n1", "n2"), 1, Set.of("n3"))));
        a.gate.activate(Set.of("n1", "n2"));
        a.assumed.put("uid-in-flight", "n2"); // a binding to n2 is in flight

        a.handoff.onMap(new ShardMapWatcher.Update(map(2, Map.of(0, Set.of("n1", "n3"), 1, Set.of("n2"))), "10"));
        assertThat(acks.calls)
                .as("not while a binding to released n2 is in flight")
                .isEmpty();
        assertThat(a.state.node("n2")).as("released at once all the same").isEmpty();

        a.assumed.remove("uid-in-flight"); // its binding settled
        a.handoff.tick(T0);
        assertThat(acks.calls).containsExactly("epoch 2 [n1, n3]");
        assertThat(a.handoff.settled()).isFalse();

        acks.answer(false); // the write failed: nothing is acquired, the next tick tries again
        assertThat(a.gate.active()).containsExactly("n1");
        a.handoff.tick(T0);
        assertThat(acks.calls).hasSize(2);

        acks.answer(true);
        assertThat(a.handoff.settled()).isTrue();
        assertThat(a.gate.active()).containsExactlyInAnyOrder("n1", "n3");
        assertThat(a.state.node("n3")).as("acquired: in the state now").isPresent();
        assertThat(a.handoff.acknowledgedEpoch()).isEqualTo(2);
    }

    private Instance pendingOn(Instance i, List<PodRequest> pods) {
        pods.forEach(i.handoff::pending);
        return i;
    }

    private static ShardMapView map(long epoch, Map<Integer, Set<String>> assignment) {
        return new ShardMapView("batch", 2, epoch, ShardPhase.STABLE, assignment, Map.of());
    }

    private static List<PodRequest> pods(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> new PodRequest(
                        "uid-" + i,
                        "ns",
                        "p-" + i,
                        "batch",
                        PoolRule.BATCH_POOL,
                        Resources.batch(500, 1L << 30).withPods(1),
                        Map.of(),
                        null,
                        List.of(),
                        0,
                        T0,
                        null,
                        null))
                .toList();
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> all = new HashSet<>(x);
        all.addAll(y);
        return all;
    }
}
