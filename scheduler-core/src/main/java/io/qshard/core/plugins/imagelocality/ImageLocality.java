package io.qshard.core.plugins.imagelocality;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.ImageNames;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Saturating;
import io.qshard.core.snapshot.ClusterNodes;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import java.util.Map;

/**
 * Score: prefer nodes that already hold the pod's container images, as kube-scheduler 1.20's ImageLocality
 * ({@code imagelocality/image_locality.go}):
 *
 * <pre>
 * per container image on the node: int64(size × numNodes / totalNumNodes)    (float64 spread; "node heating" damping)
 * sum         = Σ of those over the pod's containers (init containers are not counted)
 * maxThreshold = 1000 MiB × number of containers;   minThreshold = 23 MiB
 * score       = 100 × (clamp(sum, min, max) − min) / (max − min)             (integers)
 * </pre>
 * The pod's image names are compared after {@link ImageNames#normalize}, as kube does; the node's ({@link
 * Node#images}) as the kubelet reports them. {@code numNodes} and {@code totalNumNodes} count every node of the cluster
 * (every shard's: {@link ClusterNodes}), as kube-scheduler counts every node of its snapshot; the per-image node counts
 * are memoised in the {@link ClusterNodes} instance. PreScore steps aside (SKIP) when no image of the pod is on any
 * node — the score would be 0 everywhere — so such pods keep decision reuse; otherwise the plugin is not node-local
 * (it reads cluster-wide counts) and the pod is decided in full.
 *
 * <p>One deliberate difference: kube-scheduler 1.20's cache computes an image's {@code numNodes} (and takes its size
 * from the first node that reported it) when a node is added or updated, so a node's figures go stale as other nodes
 * pull or drop the image until that node's next update; qshard always uses the current count and each node's own size
 * (what 1.20's {@code snapshot.go} computes for a fresh snapshot). The sum saturates at {@link Long#MAX_VALUE} (kube's
 * int64 sum would wrap on images reported near 2^63 bytes and score 0). Stateless and thread-safe.
 */
public final class ImageLocality implements PreScorePlugin, ScorePlugin {
    public static final String NAME = "ImageLocality";
    /** kube-scheduler's byte unit of the thresholds. */
    static final long MB = 1024L * 1024;
    /** Below this many (spread-scaled) bytes on the node, the score is 0. */
    public static final long MIN_THRESHOLD = 23 * MB;
    /** Per container: at or above this many bytes, the score is 100. */
    public static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    private static final CycleState.Key<Images> KEY = new CycleState.Key<>(NAME);

    /**
     * What PreScore computed for the pod.
     *
     * @param names      normalised image per container (duplicates kept), for those on some node; others null
     * @param numNodes   per container, the number of nodes holding its image
     * @param totalNodes nodes in the cluster
     */
    private record Images(String[] names, int[] numNodes, int totalNodes) {}

    /** A memo key: the nodes holding a normalised image name. */
    private record NodesWithImage(String image) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int count) {
        List<String> images = pod.details().images();
        if (images.isEmpty()) {
            return Status.SKIP;
        }
        ClusterNodes nodes = snapshot.topology().nodes();
        String[] names = new String[images.size()];
        int[] numNodes = new int[images.size()];
        boolean any = false;
        for (int i = 0; i < names.length; i++) {
            String image = ImageNames.normalize(images.get(i));
            int n = nodesWithImage(nodes, image);
            if (n > 0) {
                names[i] = image;
                numNodes[i] = n;
                any = true;
            }
        }
        if (!any) {
            return Status.SKIP;
        }
        state.write(KEY, new Images(names, numNodes, nodes.size()));
        return Status.SUCCESS;
    }

    /** How many nodes of the cluster hold {@code image}; memoised per {@link ClusterNodes} instance. */
    static int nodesWithImage(ClusterNodes nodes, String image) {
        return nodes.memo(new NodesWithImage(image), all -> {
            int[] n = {0};
            all.forEach(node -> n[0] += node.images().containsKey(image) ? 1 : 0);
            return n[0];
        });
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        Images images = state.read(KEY);
        if (images == null) {
            throw new IllegalStateException(NAME + ": Score without a successful PreScore for " + pod.key());
        }
        return score(images, node.node().images());
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        Images images = state.read(KEY);
        if (images == null) {
            throw new IllegalStateException(NAME + ": Score without a successful PreScore for " + pod.key());
        }
        for (int k = 0; k < count; k++) {
            out[k] = score(images, nodes[k].node().images());
        }
    }

    private static long score(Images images, Map<String, Long> onNode) {
        long sum = 0;
        if (!onNode.isEmpty()) {
            for (int i = 0; i < images.names.length; i++) {
                Long size = images.names[i] == null ? null : onNode.get(images.names[i]);
                if (size != null) {
                    double spread = (double) images.numNodes[i] / (double) images.totalNodes;
                    sum = Saturating.add(sum, (long) ((double) size * spread)); // the cast saturates too
                }
            }
        }
        return calculatePriority(sum, images.names.length);
    }

    /** kube-scheduler's {@code calculatePriority}: the sum clamped to [23 MiB, 1000 MiB × containers], to 0..100. */
    static long calculatePriority(long sumScores, int numContainers) {
        long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
        long sum = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : Math.min(sumScores, maxThreshold);
        return MAX_SCORE * (sum - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
    }
}
