package io.qshard.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.qshard.core.model.ResourceNames;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.fixtures.KubeletPods;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the real kubelet nodes made of the demo's placements, from pod status only: per tier the pods bound to a real
 * node, how many of them run, how many the kubelet refused (phase Failed: {@code OutOfcpu},
 * {@code OutOfqshard.io/batch-cpu}, {@code UnexpectedAdmissionError}, …), and how many pods pinned to the real nodes
 * are still unbound; each refusal with its reason; per node Σ requests against allocatable. Immutable.
 *
 * @param tiers    per tier (prod, mid, batch, free): the tally
 * @param rejected one line per refused pod: {@code name on node: reason: message}
 * @param starting one line per bound pod neither refused nor running yet
 * @param nodes    one line per real node: its cpu and {@code qshard.io/batch-cpu} requests against its allocatable
 * @param text     what is printed after the demo's report and saved beside it
 */
public record RealNodesReport(
        Map<String, Tally> tiers, List<String> rejected, List<String> starting, List<String> nodes, String text) {
    static final List<String> TIERS = List.of("prod", "mid", "batch", "free");
    private static final int LISTED = 20;

    /**
     * One tier's pods. {@code bound = running + rejected + bound pods still starting}.
     *
     * @param bound    bound to a real kubelet node and not being deleted
     * @param running  bound, phase Running and every container running
     * @param rejected bound and refused by the kubelet (phase Failed)
     * @param pending  pinned to the real nodes (nodeSelector {@link KubeletNodes#NODE_LABEL}) and not bound
     */
    public record Tally(int bound, int running, int rejected, int pending) {}

    /**
     * @param pods      the demo's pods as the API has them now
     * @param realNodes the real kubelet nodes as the API has them now
     */
    public static RealNodesReport of(List<Pod> pods, List<Node> realNodes) {
        Set<String> real =
                realNodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        Map<String, int[]> counts = new LinkedHashMap<>();
        TIERS.forEach(t -> counts.put(t, new int[4]));
        Map<String, long[]> load = new LinkedHashMap<>();
        realNodes.forEach(n -> load.put(n.getMetadata().getName(), new long[2]));
        List<String> rejected = new ArrayList<>();
        List<String> starting = new ArrayList<>();
        for (Pod p : pods) {
            int[] c = counts.get(tier(p));
            if (c == null || p.getMetadata().getDeletionTimestamp() != null) {
                continue; // another scheduler's pod, or one going away (scaled down, evicted)
            }
            String node = p.getSpec().getNodeName();
            if (node == null || node.isEmpty()) {
                Map<String, String> selector = p.getSpec().getNodeSelector();
                if (selector != null && "true".equals(selector.get(KubeletNodes.NODE_LABEL))) {
                    c[3]++;
                }
                continue;
            }
            if (!real.contains(node)) {
                continue;
            }
            c[0]++;
            String id = p.getMetadata().getName() + " on " + node;
            var failure = KubeletPods.admissionFailure(p);
            if (failure.isPresent()) {
                c[2]++;
                rejected.add(id + ": " + failure.get());
                continue;
            }
            long[] l = load.get(node);
            l[0] += requested(p, ResourceNames.CPU, 1000);
            l[1] += requested(p, ResourceNames.BATCH_CPU, 1);
            if (KubeletPods.running(p)) {
                c[1]++;
            } else {
                starting.add(id + ": phase "
                        + (p.getStatus() == null ? null : p.getStatus().getPhase()));
            }
        }
        Map<String, Tally> tiers = new LinkedHashMap<>();
        counts.forEach((t, c) -> tiers.put(t, new Tally(c[0], c[1], c[2], c[3])));
        List<String> nodeLines = new ArrayList<>();
        for (Node n : realNodes) {
            long[] l = load.get(n.getMetadata().getName());
            Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null
                    ? Map.of()
                    : n.getStatus().getAllocatable();
            nodeLines.add(String.format(
                    Locale.ROOT,
                    "%s: cpu %d of %dm requested, %s %d of %d advertised",
                    n.getMetadata().getName(),
                    l[0],
                    amount(alloc.get(ResourceNames.CPU), 1000),
                    ResourceNames.BATCH_CPU,
                    l[1],
                    amount(alloc.get(ResourceNames.BATCH_CPU), 1)));
        }
        return new RealNodesReport(
                tiers, rejected, starting, nodeLines, text(realNodes.size(), tiers, rejected, starting, nodeLines));
    }

    /** The sum of the rejections over the tiers. */
    public int rejections() {
        return tiers.values().stream().mapToInt(Tally::rejected).sum();
    }

    private static String text(
            int n, Map<String, Tally> tiers, List<String> rejected, List<String> starting, List<String> nodes) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%nReal kubelet nodes (%d): per tier — bound to real nodes / Running / rejected by the kubelet "
                        + "(OutOf*, UnexpectedAdmissionError) / Pending%n",
                n));
        tiers.forEach((t, c) -> b.append(
                String.format(Locale.ROOT, "  %s %d/%d/%d/%d", t, c.bound(), c.running(), c.rejected(), c.pending())));
        b.append(String.format(Locale.ROOT, "%n  rejections: %d%n", rejected.size()));
        list(b, rejected);
        if (!starting.isEmpty()) {
            b.append(String.format(Locale.ROOT, "  bound, not running yet: %d%n", starting.size()));
            list(b, starting);
        }
        nodes.forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }

    private static void list(StringBuilder b, List<String> lines) {
        lines.stream().limit(LISTED).forEach(l -> b.append("    ").append(l).append('\n'));
        if (lines.size() > LISTED) {
            b.append(String.format(Locale.ROOT, "    … and %d more%n", lines.size() - LISTED));
        }
    }

    private static String tier(Pod p) {
        String s = p.getSpec().getSchedulerName();
        return s != null && s.startsWith("qshard-") ? s.substring("qshard-".length()) : "";
    }

    /** Σ over the containers of the request for {@code resource} (a limit stands for a missing request). */
    private static long requested(Pod p, String resource, long factor) {
        long sum = 0;
        for (Container c : p.getSpec().getContainers()) {
            if (c.getResources() == null) {
                continue;
            }
            Map<String, Quantity> req = c.getResources().getRequests();
            Map<String, Quantity> lim = c.getResources().getLimits();
            sum += amount(
                    req != null && req.containsKey(resource)
                            ? req.get(resource)
                            : lim == null ? null : lim.get(resource),
                    factor);
        }
        return sum;
    }

    /** {@code q × factor}, rounded up; 0 when absent ({@code factor} 1000: cpu in millicores). */
    private static long amount(Quantity q, long factor) {
        if (q == null) {
            return 0;
        }
        BigDecimal v = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(factor));
        return v.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
