package io.qshard.shard.fault;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.api.ShardMapSpec;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The campaign's faults, each as an operator or a broken component would cause it, through the API. */
final class Faults {
    private Faults() {}

    /**
     * A NodeUsage for {@code node} whose figures the CRD schema admits (int64 ≥ 0) but no node has: int64's maximum
     * for the node and for a tier (the report).
     */
    static void absurdReport(KubernetesClient admin, String node) {
        NodeUsage nu = new NodeUsage();
        nu.setMetadata(new ObjectMetaBuilder().withName(node).build());
        if (admin.resources(NodeUsage.class).withName(node).get() == null) {
            admin.resources(NodeUsage.class).resource(nu).create();
        }
        NodeUsageStatus s = new NodeUsageStatus();
        s.setTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        s.setWindowSeconds(10);
        s.setReporter("broken-agent");
        s.setNode(new io.qshard.kube.api.UsageAmount(Long.MAX_VALUE, Long.MAX_VALUE));
        s.setTiers(Map.of("prod", new io.qshard.kube.api.UsageAmount(Long.MAX_VALUE, 1)));
        admin.resources(NodeUsage.class).withName(node).editStatus(x -> {
            x.setStatus(s);
            return x;
        });
    }

    /** Puts a node of shard 0 into shard 1 as well (valid for the CRD's schema, refused by the schedulers). */
    static ShardMapSpec breakShardMap(KubernetesClient admin, String tier) {
        ShardMap m = admin.resources(ShardMap.class).withName(tier).get();
        ShardMapSpec valid = copy(m.getSpec());
        List<String> zero = m.getSpec().getAssignment().get("0");
        List<String> one = new ArrayList<>(m.getSpec().getAssignment().get("1"));
        one.add(zero.get(0));
        m.getSpec().getAssignment().put("1", one);
        admin.resources(ShardMap.class).resource(m).update();
        return valid;
    }

    /** Writes {@code spec} back over whatever the map holds now. */
    static void restoreShardMap(KubernetesClient admin, String tier, ShardMapSpec spec) {
        admin.resources(ShardMap.class).withName(tier).edit(m -> {
            m.setSpec(copy(spec));
            return m;
        });
    }

    private static ShardMapSpec copy(ShardMapSpec s) {
        ShardMapSpec c = new ShardMapSpec();
        c.setShards(s.getShards());
        c.setEpoch(s.getEpoch());
        c.setPhase(s.getPhase());
        s.getAssignment().forEach((k, v) -> c.getAssignment().put(k, List.copyOf(v)));
        s.getTarget().forEach((k, v) -> c.getTarget().put(k, List.copyOf(v)));
        return c;
    }

    /** Three nodes with broken allocatable: none at all, zero, and int64's maximum in cores. */
    static List<String> oddNodes(KubernetesClient admin, String prefix) {
        Node missing = new NodeBuilder()
                .withNewMetadata()
                .withName(prefix + "missing")
                .addToLabels(NodeFixture.FIXTURE_LABEL, "true")
                .endMetadata()
                .build();
        Node zero = NodeFixture.node(prefix + "zero").cpu("0").memory("0").build();
        Node huge = NodeFixture.node(prefix + "huge")
                .cpu("9223372036854775807")
                .memory("64Gi")
                .build();
        for (Node n : List.of(missing, zero, huge)) {
            admin.nodes().resource(n).create();
        }
        return List.of(
                missing.getMetadata().getName(),
                zero.getMetadata().getName(),
                huge.getMetadata().getName());
    }

    /**
     * Every Lease in {@code namespace} taken by "lease-thief" (renewed now, for 4 s), as when another replica won it
     * while its holder could not renew: the holder must stop deciding and win it back once the thief's term expires.
     */
    static int stealLeases(KubernetesClient admin, String namespace) {
        int n = 0;
        for (Lease l : admin.leases().inNamespace(namespace).list().getItems()) {
            steal(admin, namespace, l.getMetadata().getName());
            n++;
        }
        return n;
    }

    private static void steal(KubernetesClient admin, String namespace, String name) {
        for (int attempt = 1; ; attempt++) {
            Lease l = admin.leases().inNamespace(namespace).withName(name).get();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            l.getSpec().setHolderIdentity("lease-thief");
            l.getSpec().setAcquireTime(now);
            l.getSpec().setRenewTime(now);
            l.getSpec().setLeaseDurationSeconds(4);
            try {
                admin.leases().inNamespace(namespace).resource(l).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) { // the holder renewed in between: read it again
                    throw e;
                }
            }
        }
    }

    /**
     * Restarts the apiserver with etcd compacted, while it is down, past everything any watcher has seen: every watch
     * resumes at a compacted resourceVersion and gets 410 Gone (compacting while it serves would race with the writes
     * of the schedulers and the simulator, which move the watchers past the compaction).
     */
    static void restartWithCompaction(LocalControlPlane cp) {
        cp.restartApiserverWithCompaction();
    }
}
