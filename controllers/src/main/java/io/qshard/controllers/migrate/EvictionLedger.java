package io.qshard.controllers.migrate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the migration loop evicted lately, for its safety limits: a node it evicted from is left alone for the cooldown;
 * a workload (controller owner) loses at most {@code maxPerWorkload} pods per cooldown; a pod asked once is never asked
 * again; and the cluster-wide rate ({@link #allowNow}) is a sliding minute. Not thread-safe: the loop's thread.
 */
public final class EvictionLedger {
    private final Duration cooldown;
    private final int maxPerWorkload;
    private final int perMinute;
    private final Map<String, Instant> nodeLast = new HashMap<>();
    private final Map<String, Deque<Instant>> workload = new HashMap<>();
    private final Set<String> asked = new HashSet<>();
    private final Deque<Instant> lastMinute = new ArrayDeque<>();

    public EvictionLedger(Duration cooldown, int maxPerWorkload, int perMinute) {
        this.cooldown = cooldown;
        this.maxPerWorkload = maxPerWorkload;
        this.perMinute = perMinute;
    }

    /** @return whether the node is still cooling down from an eviction */
    public boolean cooling(String node, Instant now) {
        Instant last = nodeLast.get(node);
        return last != null && Duration.between(last, now).compareTo(cooldown) < 0;
    }

    /** @return whether the workload may lose another pod now */
    public boolean workloadAllows(String owner, Instant now) {
        Deque<Instant> d = workload.get(owner);
        if (d == null) {
            return true;
        }
        while (!d.isEmpty() && Duration.between(d.peekFirst(), now).compareTo(cooldown) >= 0) {
            d.removeFirst();
        }
        return d.size() < maxPerWorkload;
    }

    /** @return whether this pod was asked to leave already */
    public boolean asked(String podUid) {
        return asked.contains(podUid);
    }

    /** @return whether the cluster-wide rate allows one more eviction now */
    public boolean allowNow(Instant now) {
        while (!lastMinute.isEmpty()
                && Duration.between(lastMinute.peekFirst(), now).compareTo(Duration.ofMinutes(1)) >= 0) {
            lastMinute.removeFirst();
        }
        return lastMinute.size() < perMinute;
    }

    /** Records an eviction the API accepted. */
    public void evicted(String node, String owner, String podUid, Instant now) {
        nodeLast.put(node, now);
        if (owner != null) {
            workload.computeIfAbsent(owner, o -> new ArrayDeque<>()).addLast(now);
        }
        asked.add(podUid);
        lastMinute.addLast(now);
    }

    /** Records an eviction that was asked for but refused (a PodDisruptionBudget): the pod may be asked again later. */
    public void refused(String node, Instant now) {
        nodeLast.put(node, now);
    }
}
