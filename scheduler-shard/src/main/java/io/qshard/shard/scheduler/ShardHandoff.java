package io.qshard.shard.scheduler;

import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.shard.shardmap.AckWriter;
import io.qshard.shard.shardmap.MapKeeper;
import io.qshard.shard.shardmap.ShardMapWatcher;
import io.qshard.shard.usage.UsageTracker;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sharded tier instance's side of a map change (docs/architecture.md, "Shards"): it releases nodes at once,
 * acknowledges the map ({@code ShardMap.status.acks}) once no binding to a released node is in flight, and only then
 * acquires the new ones; it keeps every pending pod of the tier and queues only those its shard owns, re-checking
 * ownership every tick; shard 0's leader maintains the map. For an unsharded tier it does nothing.
 *
 * <p>Not thread-safe: the instance's decision thread, which also owns the {@link DecisionState} passed in; the
 * acknowledgement's answer comes back through {@code inbox}. {@link #acknowledgedEpoch} may be read from any thread.
 */
final class ShardHandoff implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardHandoff.class);

    private final ShardGate gate;
    private final String identity;
    /** null for an unsharded tier */
    private final AckWriter acks;
    /** non-null for shard 0 of a sharded tier */
    private final MapKeeper maintainer;

    private final ClusterState state;
    private final SchedulingQueue queue;
    /** the scheduler's uid → node of assumed, unconfirmed placements */
    private final Map<String, String> assumed;
    /** every node the informer has, active or not (for nodes this shard acquires later) */
    private final Map<String, Node> nodes;

    private final UsageTracker usage;
    private final Clock clock;
    private final Consumer<Runnable> inbox;
    private final BooleanSupplier leading;
    /** Every pending pod of this tier, owned or not. */
    private final Map<String, PodRequest> pendingPods = new HashMap<>();
    /** uids of pending pods this instance put into its queue. */
    private final Set<String> queuedUids = new HashSet<>();
    /** Nodes released by the last map whose acknowledgement waits for their in-flight bindings. */
    private Set<String> releasing = Set.of();

    private Set<String> acquiring = Set.of();
    private boolean ackPending;
    private boolean ackInFlight;
    private ShardMapWatcher.Update lastMap;
    private volatile long ackedEpoch;

    /**
     * @param acks       writes acknowledgements; null for an unsharded tier
     * @param maintainer keeps the map; null except for shard 0 of a sharded tier
     * @param decision   the instance's decision-thread state this hand-off works on
     * @param inbox      runs a task on the decision thread (the acknowledgement's answer comes back through it)
     * @param leading    whether the instance leads its shard now
     */
    ShardHandoff(
            ShardGate gate,
            String identity,
            AckWriter acks,
            MapKeeper maintainer,
            DecisionState decision,
            Clock clock,
            Consumer<Runnable> inbox,
            BooleanSupplier leading) {
        this.gate = gate;
        this.identity = identity;
        this.acks = acks;
        this.maintainer = maintainer;
        this.state = decision.cluster();
        this.queue = decision.queue();
        this.assumed = decision.assumed();
        this.nodes = decision.nodes();
        this.usage = decision.usage();
        this.clock = clock;
        this.inbox = inbox;
        this.leading = leading;
    }

    /** Whether decisions may run: a map is in force and no acquired node waits for its acknowledgement. */
    boolean settled() {
        return gate.map() != null && acquiring.isEmpty();
    }

    /** The shard-map epoch last acknowledged (0: none yet, or an unsharded tier). Thread-safe. */
    long acknowledgedEpoch() {
        return ackedEpoch;
    }

    /** This instance now leads its shard: it acknowledges the map it acts on. */
    void leadershipGained() {
        ackPending = gate.map() != null;
        tryAck();
    }

    /** A pending pod of this tier was added or changed: remembered, and queued if this shard owns it. */
    void pending(PodRequest pod) {
        pendingPods.put(pod.uid(), pod);
        if (queuedUids.contains(pod.uid())) {
            queue.update(pod);
        } else if (!assumed.containsKey(pod.uid()) && gate.owns(pod, clock.instant())) {
            queue.add(pod);
            queuedUids.add(pod.uid());
        }
    }

    /** The pod is no longer pending (bound, deleted or finished). */
    void forget(String uid) {
        pendingPods.remove(uid);
        queuedUids.remove(uid);
    }

    /** A new map: release at once, acknowledge (when no binding to a released node is in flight), then acquire. */
    void onMap(ShardMapWatcher.Update update) {
        if (lastMap != null && lastMap.view().equals(update.view())) {
            lastMap = update; // the same map (an acknowledgement changed its status): only its resourceVersion moved
            return;
        }
        lastMap = update;
        ShardGate.Transition t = gate.apply(update.view());
        for (String n : t.release()) {
            state.removeNode(n); // its pods stay accounted aside, should it come back
        }
        Set<String> rel = new HashSet<>(releasing);
        rel.addAll(t.release());
        releasing = Set.copyOf(rel);
        acquiring = t.acquire();
        ackPending = true;
        if (!t.release().isEmpty() || !t.acquire().isEmpty()) {
            LOG.info(
                    "tier {} shard {}: epoch {} {}: releasing {} nodes, acquiring {} once acknowledged",
                    gate.tier(),
                    gate.shard(),
                    update.view().epoch(),
                    update.view().phase(),
                    t.release().size(),
                    t.acquire().size());
        }
        tryAck();
    }

    /** Once a second: acknowledgements due, pods whose owner changed, the map's upkeep (shard 0's leader). */
    void tick(Instant now) {
        if (!gate.sharded()) {
            return;
        }
        tryAck();
        for (PodRequest pod : pendingPods.values()) {
            boolean owned = gate.owns(pod, now);
            boolean queued = queuedUids.contains(pod.uid());
            if (owned && !queued && !assumed.containsKey(pod.uid())) {
                queue.add(pod);
                queuedUids.add(pod.uid());
            } else if (!owned && queued && !assumed.containsKey(pod.uid())) {
                queue.delete(pod.uid());
                queuedUids.remove(pod.uid());
            }
        }
        if (maintainer != null && leading.getAsBoolean()) {
            Map<String, Long> weights = new HashMap<>();
            nodes.forEach((n, node) -> weights.put(n, node.realAllocatable().milliCpu()));
            maintainer.maintain(lastMap, weights, now);
        }
    }

    private void tryAck() {
        if (!ackPending || ackInFlight || acks == null || !leading.getAsBoolean() || lastMap == null) {
            return;
        }
        for (String node : assumed.values()) {
            if (releasing.contains(node)) {
                return; // a binding to a released node is in flight: acknowledge once it has settled
            }
        }
        var view = lastMap.view();
        Set<String> claimed = new HashSet<>(gate.active());
        claimed.addAll(acquiring);
        Set<String> acquire = acquiring;
        ackInFlight = true;
        acks.ack(gate.tier(), gate.shard(), view.epoch(), view.phase(), identity, claimed)
                .thenAccept(ok -> inbox.accept(() -> {
                    ackInFlight = false;
                    if (!ok
                            || lastMap == null
                            || lastMap.view().epoch() != view.epoch()
                            || lastMap.view().phase() != view.phase()) {
                        return; // failed, or superseded by a newer map: the next tick acknowledges that one
                    }
                    ackPending = false;
                    ackedEpoch = view.epoch();
                    releasing = Set.of();
                    gate.activate(acquire);
                    for (String n : acquire) {
                        Node node = nodes.get(n);
                        if (node != null && gate.isActive(n)) {
                            state.upsertNode(node);
                            usage.nodeKnown(n, state, clock.instant());
                        }
                    }
                    acquiring = Set.of();
                    queue.onClusterEvent();
                }));
    }

    /** Stops writing acknowledgements and maintaining the map. */
    @Override
    public void close() {
        if (acks != null) {
            acks.close();
        }
        if (maintainer != null) {
            maintainer.close();
        }
    }
}
