package io.qshard.bench;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.model.Node;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.ClusterState;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Deterministic synthetic clusters of core records for benchmarks: node shapes 16c/64Gi, 32c/128Gi,
 * 64c/256Gi in three zones (or as many as asked, the pods then optionally replicas of apps), filled with prod pods
 * (250m–2c, 512Mi–8Gi) until a per-node target between 50% and 95% of cpu requests (mean 80%, as in the clusters
 * qshard is for). Every node also advertises a batch pool ({@code qshard.io/batch-*}) of 10–40 % of its capacity, and
 * {@link #heat} marks some nodes hot or likely hot, as the usage view would.
 */
public final class SyntheticCluster {
    private static final long GI = 1L << 30;
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private SyntheticCluster() {}

    /** A cluster state with {@code nodes} nodes and about {@code podsPerNode} bound pods each (0 = fill to target). */
    public static ClusterState build(int nodes, int podsPerNode, long seed) {
        return build(nodes, podsPerNode, seed, 3, 0, null);
    }

    /**
     * As {@link #build(int, int, long)} — the same node shapes, pod sizes and fill for the same seed — with the nodes
     * spread round-robin over {@code zones} zones ({@code zone-0}…), and, when {@code apps > 0}, every pod a replica
     * of one of {@code apps} apps: the app is drawn from a second random stream (so sizes do not change), never one
     * already on the node while the node has fewer pods than apps, and {@code replica.apply(pod, app)} is what is
     * bound (e.g. the pod with the app's labels and rules). With 3 zones and no apps this is
     * {@link #build(int, int, long)}'s cluster.
     *
     * @param zones   ≥ 1
     * @param apps    ≥ 0; 0 binds the plain pods and never calls {@code replica}
     * @param replica app index in [0, apps) → the pod to bind; may be null when {@code apps == 0}
     */
    public static ClusterState build(
            int nodes,
            int podsPerNode,
            long seed,
            int zones,
            int apps,
            BiFunction<PodRequest, Integer, PodRequest> replica) {
        if (zones < 1 || apps < 0) {
            throw new IllegalArgumentException("zones must be ≥ 1 and apps ≥ 0, were " + zones + ", " + apps);
        }
        SplittableRandom r = new SplittableRandom(seed);
        SplittableRandom appRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
        ClusterState state = new ClusterState();
        Set<Integer> onNode = new HashSet<>();
        int uid = 0;
        for (int i = 0; i < nodes; i++) {
            int shape = 16 << r.nextInt(3);
            Node n = Node.of(
                    String.format("node-%05d", i),
                    Map.of("topology.kubernetes.io/zone", "zone-" + (i % zones), "kubernetes.io/hostname", "node-" + i),
                    List.of(),
                    new Resources(
                            shape * 1000L,
                            shape * 4 * GI,
                            110,
                            shape * (100L + r.nextInt(301)),
                            shape * 4 * GI / 10 * (1 + r.nextInt(4))),
                    false);
            state.upsertNode(n);
            onNode.clear();
            double u = r.nextDouble();
            double target = 0.95 - 0.45 * u * u; // in [0.50, 0.95], mean 0.95 − 0.45/3 = 0.80
            long cpuBudget = (long) (n.allocatable().milliCpu() * target);
            long used = 0;
            int count = 0;
            while (podsPerNode > 0 ? count < podsPerNode : used < cpuBudget) {
                PodRequest p = prodPod("pod-" + uid++, 250 + r.nextInt(1750), (512L << 20) * (1 + r.nextInt(16)));
                if (podsPerNode == 0 && used + p.requests().milliCpu() > cpuBudget) {
                    break;
                }
                if (apps > 0) {
                    int app = appRandom.nextInt(apps);
                    while (onNode.size() < apps && !onNode.add(app)) {
                        app = (app + 1) % apps;
                    }
                    p = replica.apply(p, app);
                }
                state.upsertPod(p.boundTo(n.name()));
                used += p.requests().milliCpu();
                count++;
            }
        }
        return state;
    }

    /**
     * The usage view's verdicts on every node, as a usage report would publish them: about 1 node in 20 hot (or
     * predicted hot), the others with a hotspot probability in [0, 0.5).
     */
    public static void heat(ClusterState state, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        var snapshot = state.snapshot();
        for (int i = 0; i < snapshot.size(); i++) {
            state.setHeat(snapshot.node(i).name(), r.nextInt(20) == 0, r.nextDouble() / 2);
        }
    }

    /** A pending batch pod of the given size (asked in the batch resources, BestEffort natively). */
    public static PodRequest batchPod(String uid, long milliCpu, long memoryBytes) {
        return new PodRequest(
                uid,
                "bench",
                uid,
                DefaultTiers.BATCH,
                PoolRule.BATCH_POOL,
                Resources.batch(milliCpu, memoryBytes).withPods(1),
                Map.of(),
                null,
                List.of(),
                DefaultTiers.named(DefaultTiers.BATCH).priority(),
                CREATED,
                null,
                null);
    }

    /** A pending prod pod of the given size. */
    public static PodRequest prodPod(String uid, long milliCpu, long memoryBytes) {
        return prodPod(uid, milliCpu, memoryBytes, null);
    }

    /** A pending prod pod of the given size owned by {@code owner} (null = none). */
    public static PodRequest prodPod(String uid, long milliCpu, long memoryBytes, OwnerRef owner) {
        return new PodRequest(
                uid,
                "bench",
                uid,
                DefaultTiers.PROD,
                PoolRule.ALLOCATABLE,
                new Resources(milliCpu, memoryBytes, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                DefaultTiers.named(DefaultTiers.PROD).priority(),
                CREATED,
                owner,
                null);
    }
}
