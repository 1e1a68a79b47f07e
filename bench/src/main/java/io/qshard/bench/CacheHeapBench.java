package io.qshard.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.convert.PodJsonReader;
import io.qshard.kube.convert.RawPod;
import io.qshard.kube.informer.CompactItemStore;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import tools.jackson.core.JsonParser;

/**
 * Scheduler heap with N nodes and M bound pods in its caches, after a full GC. Builds exactly what a
 * running scheduler retains, through the same code: nodes converted by {@link NodeConverter} into the
 * {@link ClusterState} plus the node informer's {@link CompactItemStore} entry; pods serialised the way the
 * apiserver sends them (managedFields, labels, annotations, default tolerations, status) and decoded by
 * {@link PodJsonReader} → {@link PodConverter} → bound in the {@link ClusterState}, plus the pod
 * reflector's uid set. Run it under the launcher's heap settings to prove the fit:
 *
 * <pre>java -Xmx512m -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.qshard.bench.CacheHeapBench 10000 100000</pre>
 */
public final class CacheHeapBench {
    private CacheHeapBench() {}

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(mem);

        ClusterState state = new ClusterState();
        CompactItemStore<Node> nodeStore = new CompactItemStore<>(Node::new);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < nodes; i++) {
            Node n = NodeFixture.node(String.format("node-%05d", i))
                    .cpu("32")
                    .memory("128Gi")
                    .label("topology.kubernetes.io/zone", "zone-" + (i % 3))
                    .label("node.kubernetes.io/instance-type", "m5.8xlarge")
                    .label("kubernetes.io/os", "linux")
                    .label("kubernetes.io/arch", "amd64")
                    .build();
            n.getMetadata().setUid("node-uid-" + i);
            n.getMetadata().setResourceVersion(Integer.toString(1000 + i));
            nodeStore.put(nodeStore.getKey(n), n);
            state.upsertNode(NodeConverter.convert(n));
        }
        PodConverter converter = new PodConverter(QshardConfig.defaults());
        Set<String> reflectorUids = new HashSet<>();
        String[] namespaces = new String[200];
        for (int i = 0; i < namespaces.length; i++) {
            namespaces[i] = "team-" + i;
        }
        for (int i = 0; i < pods; i++) {
            String json = podJson(
                    namespaces[r.nextInt(namespaces.length)],
                    "app-" + i,
                    "uid-" + i + "-" + r.nextLong(),
                    String.format("node-%05d", r.nextInt(nodes)),
                    100 + r.nextInt(900),
                    128 + r.nextInt(2048));
            RawPod raw;
            try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
                p.nextToken();
                raw = PodJsonReader.read(p);
            }
            PodRequest pod = converter.convert(raw);
            reflectorUids.add(raw.uid());
            state.upsertPod(pod);
        }
        long after = usedAfterGc(mem);
        double mib = (after - before) / (1024.0 * 1024.0);
        System.out.printf(
                Locale.ROOT,
                "%d nodes, %d bound pods (%d accounted): cache heap %.1f MiB after full GC "
                        + "(%.0f bytes per pod incl. nodes); total heap used %.1f MiB; max heap %.0f MiB%n",
                nodes,
                pods,
                state.accountedPods(),
                mib,
                (after - before) / (double) pods,
                after / (1024.0 * 1024.0),
                mem.getHeapMemoryUsage().getMax() / (1024.0 * 1024.0));
        // keep everything reachable until measured
        if (state.snapshot().size() + nodeStore.size() + reflectorUids.size() < 0) {
            System.out.println();
        }
    }

    private static long usedAfterGc(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    /** A bound Deployment pod as the apiserver serialises it (≈ 2.5 KB). */
    static String podJson(String ns, String name, String uid, String node, int cpuMilli, int memMi) {
        return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\",\"generateName\":\""
                + name
                + "-\",\"namespace\":\"" + ns + "\",\"uid\":\"" + uid
                + "\",\"resourceVersion\":\"123456\",\"creationTimestamp\":"
                + "\"2026-11-24T10:00:00Z\",\"labels\":{\"app\":\"" + name
                + "\",\"pod-template-hash\":\"5d8c7b9f4\",\"tier\":\"web\"},"
                + "\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-24T09:00:00Z\",\"prometheus.io/scrape\":\"true\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"" + name
                + "-5d8c7b9f4\",\"uid\":\"rs-" + uid + "\",\"controller\":true,\"blockOwnerDeletion\":true}],"
                + "\"managedFields\":[{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
                + "\"time\":\"2026-11-24T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:generateName\":{},"
                + "\"f:labels\":{\".\":{},\"f:app\":{},\"f:pod-template-hash\":{}},\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"rs\\\"}\":{}}},"
                + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"main\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},"
                + "\"f:resources\":{\".\":{},\"f:limits\":{},\"f:requests\":{}}}}}}},{\"manager\":\"qshard-scheduler\",\"operation\":"
                + "\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-11-24T10:00:01Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":"
                + "{\"f:status\":{\"f:conditions\":{\"k:{\\\"type\\\":\\\"PodScheduled\\\"}\":{\".\":{},\"f:status\":{}}}}}}]},"
                + "\"spec\":{\"volumes\":[{\"name\":\"kube-api-access\",\"projected\":{\"sources\":[{\"serviceAccountToken\":"
                + "{\"expirationSeconds\":3607,\"path\":\"token\"}}],\"defaultMode\":420}}],\"containers\":[{\"name\":\"main\","
                + "\"image\":\"registry.example.com/team/app:1.2.3\",\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],"
                + "\"env\":[{\"name\":\"MODE\",\"value\":\"prod\"}],\"resources\":{\"limits\":{\"cpu\":\"" + cpuMilli
                + "m\",\"memory\":\""
                + memMi + "Mi\"},\"requests\":{\"cpu\":\"" + cpuMilli + "m\",\"memory\":\"" + memMi
                + "Mi\"}},\"terminationMessagePath\":"
                + "\"/dev/termination-log\",\"imagePullPolicy\":\"IfNotPresent\"}],\"restartPolicy\":\"Always\","
                + "\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"default\",\"nodeName\":\""
                + node + "\",\"securityContext\":{},\"schedulerName\":\"qshard-prod\",\"tolerations\":[{\"key\":"
                + "\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300},"
                + "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}],"
                + "\"priority\":9000,\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\"},"
                + "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\","
                + "\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-11-24T10:00:01Z\"}],\"qosClass\":\"Guaranteed\"}}";
    }
}
