package io.qshard.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.core.shard.PodOwnership;
import io.qshard.core.shard.ShardMapView;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.api.ShardMapStatus;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.process.UserError;
import io.qshard.shard.shardmap.ShardMaps;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard shard status}: per shard of a tier, its nodes, capacity, load, pending pods, leader and acknowledgement. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "A table per shard of the tier: nodes, allocatable and requested cpu, cpu usage (NodeUsage), pending "
                        + "pods it owns now, leader (Lease holder) and the epoch/phase it acknowledged.")
public final class ShardStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tier", paramLabel = "TIER", required = true, description = "The tier.")
    String tier;

    @Option(
            names = "--lease-namespace",
            paramLabel = "NS",
            defaultValue = "",
            description = "Where the shards' Leases are (default: none).")
    String leaseNamespace;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml (schedulerName, rotation). Default: built in.")
    Path config;

    @Mixin
    KubeconfigOption cluster;

    @Override
    public Integer call() {
        QshardConfig cfg = RunCommand.loadConfig(config);
        Tier t = cfg.tier(tier);
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = ApiserverConnection.open(cluster.resolve(), "qshard-shard-status")) {
            ShardMap map = client.supports(ShardMap.class)
                    ? client.resources(ShardMap.class).withName(tier).get()
                    : null;
            if (map == null) {
                out.printf(
                        "tier %s: no shard map (%d shard%s configured; shard 0's leader creates the map)%n",
                        tier, t.shards(), t.shards() == 1 ? "" : "s");
                out.flush();
                return 0;
            }
            ShardMapView v;
            try {
                v = ShardMaps.convert(map);
            } catch (ConversionException e) {
                throw new UserError(e.getMessage());
            }
            Map<String, Resources> alloc = new HashMap<>();
            client.nodes().list().getItems().forEach(n -> {
                try {
                    alloc.put(
                            n.getMetadata().getName(), NodeConverter.convert(n).realAllocatable());
                } catch (ConversionException e) {
                    System.err.println("skipped: " + e.getMessage());
                }
            });
            Map<String, Long> requested = new HashMap<>();
            int[] owned = new int[Math.max(v.shards(), 64)];
            Instant now = Instant.now();
            PodConverter pods = new PodConverter(cfg);
            for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
                PodRequest r;
                try {
                    r = pods.convert(p, client.getKubernetesSerialization());
                } catch (ConversionException e) {
                    out.println("skipping a malformed pod: " + e.getMessage());
                    continue;
                }
                if (r.nodeName() != null && !r.nodeName().isEmpty()) {
                    requested.merge(r.nodeName(), r.requests().milliCpu(), io.qshard.core.model.Saturating::add);
                } else if (t.name().equals(r.tier()) && p.getMetadata().getDeletionTimestamp() == null) {
                    owned[
                            PodOwnership.owner(
                                    r.uid(), r.creationTime(), now, v.ownershipShards(), cfg.shardRotation())]++;
                }
            }
            Map<String, Long> usage = new HashMap<>();
            if (client.supports(NodeUsage.class)) {
                for (NodeUsage u : client.resources(NodeUsage.class).list().getItems()) {
                    if (u.getStatus() != null && u.getStatus().getNode() != null) {
                        usage.put(
                                u.getMetadata().getName(),
                                u.getStatus().getNode().getCpuMilli());
                    }
                }
            }
            Map<String, ShardMapStatus.Ack> acks =
                    map.getStatus() == null || map.getStatus().getAcks() == null
                            ? Map.of()
                            : map.getStatus().getAcks();
            out.printf(
                    "tier %s: %d shards, epoch %d, %s%n", tier, v.shards(), v.epoch(), ShardMaps.phaseName(v.phase()));
            out.printf(
                    "%-6s %6s %12s %12s %12s %8s %-28s %s%n",
                    "SHARD", "NODES", "ALLOC CPU", "REQUESTED", "USED", "PENDING", "LEADER", "ACKNOWLEDGED");
            for (int s = 0; s < v.shards(); s++) {
                Set<String> nodes = v.assignment().getOrDefault(s, Set.of());
                long a = nodes.stream()
                        .mapToLong(n -> alloc.getOrDefault(n, Resources.ZERO).milliCpu())
                        .sum();
                long r = nodes.stream()
                        .mapToLong(n -> requested.getOrDefault(n, 0L))
                        .sum();
                long used =
                        nodes.stream().mapToLong(n -> usage.getOrDefault(n, 0L)).sum();
                ShardMapStatus.Ack ack = acks.get(Integer.toString(s));
                out.printf(
                        "%-6d %6d %11dm %11dm %11s %8d %-28s %s%n",
                        s,
                        nodes.size(),
                        a,
                        r,
                        usage.isEmpty() ? "-" : used + "m",
                        owned[s],
                        leader(client, s),
                        ack == null
                                ? "-"
                                : "epoch " + ack.getEpoch() + " " + ack.getPhase() + " ("
                                        + (ack.getActiveNodes() == null
                                                ? 0
                                                : ack.getActiveNodes().size()) + " active)");
            }
        }
        out.flush();
        return 0;
    }

    private String leader(KubernetesClient client, int shard) {
        if (leaseNamespace.isBlank()) {
            return "(no election)";
        }
        Lease l = client.leases()
                .inNamespace(leaseNamespace)
                .withName("qshard-" + tier + "-" + shard)
                .get();
        return l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null
                ? "-"
                : l.getSpec().getHolderIdentity();
    }
}
