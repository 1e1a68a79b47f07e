package io.qshard.demo;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.fixtures.PodFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's mixed workload, as Deployments the way manifests/examples/ asks per tier: prod Guaranteed (requests =
 * limits, ~80 % of the cluster's cores — the allocation the seed describes), mid Burstable, batch and free sized by
 * the batch extended resources. Every {@link #churn} rescales a few batch and free Deployments, as jobs come and go;
 * with replica hosting the mid, batch and free Deployments are annotated for it (min R/4, max 2R) and none is churned.
 * With real kubelet nodes, {@link #submitRealNodeProd} and {@link #submitRealNodeBorrowers} add one small Deployment
 * per tier pinned to them, and every pod template runs the local image's idle command, in case it lands on one.
 * Not thread-safe.
 */
public final class DemoWorkload {
    /** Namespace of every demo workload. */
    public static final String NAMESPACE = "qshard-demo";

    /** Prefix of the Deployments pinned to the real kubelet nodes ({@code real-prod}, …). */
    public static final String REAL_PREFIX = "real-";
    /** cpu (or {@code qshard.io/batch-cpu}) of each pod pinned to a real node, millicores. */
    public static final long REAL_POD_MILLI = 100;
    /** Pods per real node and tier: native cpu 4 + 7 = 1100m and batch 6 + 6 = 1200 asked of each node's ≈1000m. */
    static final Map<String, Integer> REAL_PODS_PER_NODE = Map.of("prod", 4, "mid", 7, "batch", 6, "free", 6);

    /** Share of the cluster's cores the prod Deployments request. */
    static final double PROD_SHARE = 0.80;

    private static final int PROD_POD_CORES = 4;

    private final KubernetesClient client;
    private final long cores;
    private final SplittableRandom random;
    private final boolean kubeletImage;
    private final List<String> elastic = new ArrayList<>();
    private final Map<String, Integer> hosted = new java.util.LinkedHashMap<>();
    private boolean hosting;

    /** @param kubeletImage whether real kubelet nodes may run the pods (then the templates use the local image) */
    public DemoWorkload(KubernetesClient client, long clusterCores, long seed, boolean kubeletImage) {
        this.client = client;
        this.cores = clusterCores;
        this.random = new SplittableRandom(seed);
        this.kubeletImage = kubeletImage;
    }

    /** Prod Deployments requesting ~80 % of the cluster's cores; returns the replicas created. */
    public int submitProd() {
        int pods = (int) (cores * PROD_SHARE / PROD_POD_CORES);
        return spread(
                "prod-web",
                "prod",
                pods,
                10,
                Map.of("cpu", PROD_POD_CORES + "", "memory", (PROD_POD_CORES * 3) + "Gi"),
                true);
    }

    /**
     * mid, batch and free Deployments: ~5 %, ~30 % and ~15 % of the cores; with {@code hosting}, the mid, batch and free
     * ones opt in to replica hosting ({@link #hostingAnnotations}). Returns the replicas created.
     */
    public int submitBorrowers(boolean hosting) {
        this.hosting = hosting;
        int mid = spread("mid-api", "mid", (int) (cores * 0.05), 4, Map.of("cpu", "1", "memory", "2Gi"), false);
        int batch = spread(
                "batch-etl",
                "batch",
                (int) (cores * 0.30 / 2),
                8,
                Map.of(ResourceNames.BATCH_CPU, "2000", ResourceNames.BATCH_MEMORY, Long.toString(4L << 30)),
                true);
        int free = spread(
                "free-crawl",
                "free",
                (int) (cores * 0.15),
                6,
                Map.of(ResourceNames.BATCH_CPU, "1000", ResourceNames.BATCH_MEMORY, Long.toString(2L << 30)),
                true);
        return mid + batch + free;
    }

    /** The prod Deployment pinned to the {@code realNodes} real kubelet nodes; returns the replicas created. */
    public int submitRealNodeProd(int realNodes) {
        return submitReal("prod", realNodes);
    }

    /** The mid, batch and free Deployments pinned to the real kubelet nodes; returns the replicas created. */
    public int submitRealNodeBorrowers(int realNodes) {
        return submitReal("mid", realNodes) + submitReal("batch", realNodes) + submitReal("free", realNodes);
    }

    /**
     * {@code REAL_PODS_PER_NODE × realNodes} pods of {@link #REAL_POD_MILLI} / 32 MiB, sized the way the tier asks,
     * with nodeSelector {@link KubeletNodes#NODE_LABEL}, the local image (pull policy Never), the idle command and a
     * 1 s grace period; never churned.
     */
    private int submitReal(String tier, int realNodes) {
        int replicas = REAL_PODS_PER_NODE.get(tier) * realNodes;
        PodSpec spec = PodFixture.pod("template")
                .tier(tier)
                .cpuMilli(REAL_POD_MILLI)
                .memoryMi(32)
                .onKubelet()
                .build()
                .getSpec();
        String name = REAL_PREFIX + tier;
        client.apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .resource(deployment(name, tier, replicas, spec))
                .create();
        return replicas;
    }

    /**
     * Rescales two batch/free Deployments by ±40 %: jobs finishing and new ones arriving. Does nothing when they are
     * hosted (replica hosting sets their replicas; a rescale would be a manual change it holds for).
     */
    public void churn() {
        for (int k = 0; k < 2 && !hosting && !elastic.isEmpty(); k++) {
            String name = elastic.get(random.nextInt(elastic.size()));
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .withName(name)
                    .get();
            if (d == null) {
                continue;
            }
            int now = d.getSpec().getReplicas();
            int next = Math.max(1, (int) Math.round(now * (0.6 + 0.8 * random.nextDouble())));
            client.apps().deployments().inNamespace(NAMESPACE).withName(name).scale(next);
        }
    }

    private int spread(
            String prefix, String tier, int pods, int deployments, Map<String, String> resources, boolean limits) {
        int made = 0;
        for (int i = 0; i < deployments; i++) {
            int replicas = pods / deployments + (i < pods % deployments ? 1 : 0);
            if (replicas == 0) {
                continue;
            }
            String name = prefix + "-" + i;
            boolean elasticTier = tier.equals("batch") || tier.equals("free");
            Deployment d = deployment(name, tier, replicas, template(tier, resources, limits));
            if (hosting) { // every borrowing tier: mid, batch and free
                d.getMetadata().setAnnotations(new java.util.LinkedHashMap<>(hostingAnnotations(replicas)));
                hosted.put(name, replicas);
            }
            client.apps().deployments().inNamespace(NAMESPACE).resource(d).create();
            if (elasticTier) {
                elastic.add(name);
            }
            made += replicas;
        }
        return made;
    }

    /** The hosted Deployments submitted so far and their replicas at submission (their request), by name. */
    public Map<String, Integer> hostedRequests() {
        return Map.copyOf(hosted);
    }

    /** The opt-in of a Deployment of {@code replicas}: min max(1, replicas / 4), max 2 × replicas. */
    static Map<String, String> hostingAnnotations(int replicas) {
        return Map.of(
                HostingAnnotations.HOSTING,
                "true",
                HostingAnnotations.MIN,
                Integer.toString(Math.max(1, replicas / 4)),
                HostingAnnotations.MAX,
                Integer.toString(2 * replicas));
    }

    private PodSpec template(String tier, Map<String, String> resources, boolean limits) {
        Map<String, Quantity> q = new java.util.LinkedHashMap<>();
        resources.forEach((k, v) -> q.put(k, new Quantity(v)));
        return new PodSpecBuilder()
                .withSchedulerName("qshard-" + tier)
                .withTerminationGracePeriodSeconds(0L)
                .addNewContainer()
                .withName("main")
                .withImage(kubeletImage ? KubeletNodes.IMAGE : "registry.k8s.io/pause:3.9")
                .withImagePullPolicy(kubeletImage ? "IfNotPresent" : null)
                .withCommand(kubeletImage ? PodFixture.IDLE_COMMAND : null)
                .withNewResources()
                .withRequests(q)
                .withLimits(limits ? q : null)
                .endResources()
                .endContainer()
                .build();
    }

    private static Deployment deployment(String name, String tier, int replicas, PodSpec spec) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .addToLabels("qshard.io/tier", tier)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .addToLabels("qshard.io/tier", tier)
                .endMetadata()
                .withSpec(spec)
                .endTemplate()
                .endSpec()
                .build();
    }
}
