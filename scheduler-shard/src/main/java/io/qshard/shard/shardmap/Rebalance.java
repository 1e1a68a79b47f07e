package io.qshard.shard.shardmap;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.core.shard.Rebalancer;
import io.qshard.core.shard.ShardMapView;
import io.qshard.core.shard.ShardPhase;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.api.ShardMapStatus;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.kube.convert.Quantities;
import io.qshard.kube.process.UserError;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code qshard shard rebalance}: computes a balanced assignment ({@link Rebalancer}: weight = allocatable cpu +
 * requested cpu, few moves) and applies it by the two-step epoch change — RELEASING (every shard keeps only what it
 * keeps), wait until every live shard leader acknowledged it, ACQUIRING (every shard takes its target), wait again,
 * STABLE — so no node is active in two shards at any instant. A shard whose Lease has no live holder has nothing
 * active and is not waited for. Every write uses the map's resourceVersion; a map changed meanwhile is an error,
 * and a timeout leaves the map in a safe phase that a re-run resumes. Not thread-safe: one run.
 */
public final class Rebalance {
    private final KubernetesClient client;
    private final String tier;
    private final String leaseNamespace;
    private final Clock clock;
    private final PrintWriter out;

    /** What a run would do. */
    public record Plan(
            ShardMapView current, ShardMapView next, List<Rebalancer.Move> moves, boolean resuming, boolean complete) {}

    /** @param leaseNamespace where the shards' Leases are, or null when the instances run without election */
    public Rebalance(KubernetesClient client, String tier, String leaseNamespace, Clock clock, PrintWriter out) {
        this.client = client;
        this.tier = tier;
        this.leaseNamespace = leaseNamespace;
        this.clock = clock;
        this.out = out;
    }

    /**
     * @throws UserError when the map does not exist or is invalid (nothing is changed)
     */
    public Plan plan(int shards, int maxMoves) {
        ShardMap map = read();
        ShardMapView current = view(map);
        if (current.phase() != ShardPhase.STABLE) {
            return new Plan(current, current, List.of(), true, true);
        }
        Rebalancer.Plan p = Rebalancer.plan(current.assignment(), weights(), shards, maxMoves);
        ShardMapView next = new ShardMapView(
                tier, shards, current.epoch() + 1, ShardPhase.RELEASING, current.assignment(), p.target());
        return new Plan(current, next, p.moves(), false, p.complete());
    }

    /** Prints the plan as a diff: per move, node, from, to; the shard sizes before and after. */
    public void print(Plan p) {
        if (p.resuming()) {
            out.printf(
                    "tier %s: an epoch change to %d is under way (phase %s): resuming it%n",
                    tier, p.current().epoch(), ShardMaps.phaseName(p.current().phase()));
            return;
        }
        out.printf(
                "tier %s: epoch %d → %d, %d → %d shards, %d node%s move%s%n",
                tier,
                p.current().epoch(),
                p.next().epoch(),
                p.current().shards(),
                p.next().shards(),
                p.moves().size(),
                p.moves().size() == 1 ? "" : "s",
                p.complete() ? "" : " (--max-moves reached before balance)");
        for (Rebalancer.Move m : p.moves()) {
            out.printf("  %-30s shard %s → %d%n", m.node(), m.from() < 0 ? "-" : Integer.toString(m.from()), m.to());
        }
        for (int s = 0; s < Math.max(p.current().shards(), p.next().shards()); s++) {
            out.printf(
                    "  shard %d: %d → %d nodes%n",
                    s,
                    p.current().assignment().getOrDefault(s, Set.of()).size(),
                    p.next().target().getOrDefault(s, Set.of()).size());
        }
        out.flush();
    }

    /**
     * Applies the plan in two steps.
     *
     * @throws UserError when the map changed meanwhile, or a shard did not acknowledge within {@code timeout}
     */
    public void apply(Plan p, Duration timeout) throws InterruptedException {
        ShardMapView v = p.next();
        if (!p.resuming()) {
            if (p.moves().isEmpty() && p.next().shards() == p.current().shards()) {
                out.println("already balanced: nothing to do");
                out.flush();
                return;
            }
            write(v, read().getMetadata().getResourceVersion());
            out.printf("step 1/2: epoch %d RELEASING written; waiting for every shard to release …%n", v.epoch());
            out.flush();
        }
        if (v.phase() == ShardPhase.RELEASING) {
            awaitAcks(v, Set.of(ShardPhase.RELEASING, ShardPhase.ACQUIRING), timeout);
            v = new ShardMapView(tier, v.shards(), v.epoch(), ShardPhase.ACQUIRING, v.assignment(), v.target());
            write(v, read().getMetadata().getResourceVersion());
            out.printf("step 2/2: epoch %d ACQUIRING written; waiting for every shard to acquire …%n", v.epoch());
            out.flush();
        }
        if (v.phase() == ShardPhase.ACQUIRING) {
            awaitAcks(v, Set.of(ShardPhase.ACQUIRING), timeout);
            ShardMapView stable =
                    new ShardMapView(tier, v.shards(), v.epoch(), ShardPhase.STABLE, v.target(), Map.of());
            write(stable, read().getMetadata().getResourceVersion());
            out.printf("done: epoch %d STABLE, %d shards%n", v.epoch(), v.shards());
            out.flush();
        }
    }

    private void awaitAcks(ShardMapView v, Set<ShardPhase> accepted, Duration timeout) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        int shards = Math.max(
                v.shards(),
                v.assignment().keySet().stream().mapToInt(i -> i + 1).max().orElse(0));
        while (true) {
            List<String> missing = new ArrayList<>();
            Map<String, ShardMapStatus.Ack> acks = acks();
            for (int s = 0; s < shards; s++) {
                String holder = liveHolder(s);
                if (leaseNamespace != null && holder == null) {
                    continue; // nobody leads this shard: nothing of it is active
                }
                ShardMapStatus.Ack a = acks.get(Integer.toString(s));
                boolean ok = a != null
                        && a.getEpoch() != null
                        && a.getEpoch() == v.epoch()
                        && a.getPhase() != null
                        && accepted.contains(ShardPhase.valueOf(a.getPhase().toUpperCase(java.util.Locale.ROOT)))
                        && (holder == null || holder.equals(a.getHolder()));
                if (!ok) {
                    missing.add("shard " + s + (holder == null ? "" : " (leader " + holder + ")") + ": "
                            + (a == null ? "no acknowledgement" : "at epoch " + a.getEpoch() + " " + a.getPhase()));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new UserError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + String.join("; ", missing)
                                + ". The map stays at epoch " + v.epoch() + " " + ShardMaps.phaseName(v.phase())
                                + " (safe: no node is active in two shards); re-run the command to resume");
            }
            Thread.sleep(200); // polling acknowledgements written by the instances
        }
    }

    /** The Lease holder of a shard while its lease is live, else null (or null without election). */
    private String liveHolder(int shard) {
        if (leaseNamespace == null) {
            return null;
        }
        Lease l = client.leases()
                .inNamespace(leaseNamespace)
                .withName("qshard-" + tier + "-" + shard)
                .get();
        if (l == null
                || l.getSpec() == null
                || l.getSpec().getHolderIdentity() == null
                || l.getSpec().getRenewTime() == null) {
            return null;
        }
        ZonedDateTime renewed = l.getSpec().getRenewTime();
        int seconds =
                l.getSpec().getLeaseDurationSeconds() == null ? 15 : l.getSpec().getLeaseDurationSeconds();
        return renewed.toInstant().plusSeconds(seconds).isAfter(clock.instant())
                ? l.getSpec().getHolderIdentity()
                : null;
    }

    private Map<String, ShardMapStatus.Ack> acks() {
        ShardMap m = read();
        return m.getStatus() == null || m.getStatus().getAcks() == null
                ? Map.of()
                : m.getStatus().getAcks();
    }

    private ShardMap read() {
        ShardMap m = client.resources(ShardMap.class).withName(tier).get();
        if (m == null) {
            throw new UserError("tier '" + tier + "' has no shard map yet: configure shards ≥ 2 for it and start its "
                    + "schedulers (shard 0's leader creates the map), or `kubectl apply -f " + ShardMap.MANIFEST
                    + "` first");
        }
        return m;
    }

    private static ShardMapView view(ShardMap m) {
        try {
            return ShardMaps.convert(m);
        } catch (ConversionException e) {
            throw new UserError(e.getMessage()
                    + " — nothing changed; fix the map by hand or delete it (shard 0's leader re-creates it)");
        }
    }

    private void write(ShardMapView v, String resourceVersion) {
        ShardMap m = ShardMaps.toApi(v);
        m.getMetadata().setResourceVersion(resourceVersion);
        try {
            client.resources(ShardMap.class).resource(m).update();
        } catch (KubernetesClientException e) {
            throw new UserError(
                    e.getCode() == 409
                            ? "the shard map of '" + tier + "' changed meanwhile (a node added or "
                                    + "removed?): re-run the command"
                            : "cannot write the shard map: " + e.getMessage(),
                    e);
        }
    }

    /** node → allocatable cpu + requested cpu of the pods bound to it (milli-cores). */
    private Map<String, Long> weights() {
        Map<String, Long> w = new HashMap<>();
        for (var n : client.nodes().list().getItems()) {
            try {
                w.put(
                        n.getMetadata().getName(),
                        NodeConverter.convert(n).realAllocatable().milliCpu());
            } catch (ConversionException e) {
                out.println("skipped: " + e.getMessage()); // the schedulers treat it as absent too
            }
        }
        for (Pod p : client.pods()
                .inAnyNamespace()
                .withoutField("spec.nodeName", "")
                .list()
                .getItems()) {
            String node = p.getSpec().getNodeName();
            if (w.containsKey(node)) {
                long cpu = 0;
                for (var c : p.getSpec().getContainers()) {
                    if (c.getResources() != null
                            && c.getResources().getRequests() != null
                            && c.getResources().getRequests().get("cpu") != null) {
                        cpu = io.qshard.core.model.Saturating.add(
                                cpu,
                                Quantities.milli(c.getResources().getRequests().get("cpu")));
                    }
                }
                w.merge(node, cpu, io.qshard.core.model.Saturating::add);
            }
        }
        return w;
    }
}
