package io.qshard.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.UsageAmount;
import io.qshard.kube.convert.NodeConverter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the cluster's cpu from the nodes' {@code NodeUsage} reports: total and prod usage as a share of the real
 * allocatable cpu, and the nodes above {@link #HOT} of their own. Keeps the series for the report and the chart.
 * Called from one thread.
 */
public final class UsageSampler {
    /** A node above this share of its real allocatable cpu counts as hot (the migration loop's threshold). */
    public static final double HOT = 0.90;

    /** One sample; shares in [0, 1+]. */
    public record Sample(double seconds, String phase, double cpu, double prodCpu, int hotNodes, int reporting) {}

    /** Means over the samples of one phase. */
    public record PhaseStats(String phase, int samples, double meanCpu, double meanProdCpu, double hotNodeTime) {}

    private final KubernetesClient client;
    private final Map<String, Long> allocMilli = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private long hotNodeSamples;
    private long nodeSamples;

    public UsageSampler(KubernetesClient client) {
        this.client = client;
        client.nodes()
                .withLabel(DemoCluster.DEMO_LABEL)
                .list()
                .getItems()
                .forEach(n -> allocMilli.put(
                        n.getMetadata().getName(),
                        NodeConverter.convert(n).realAllocatable().milliCpu()));
    }

    /** Reads every report once and records a sample. */
    public Sample sample(double seconds, String phase) {
        long used = 0;
        long prod = 0;
        long alloc = 0;
        int hot = 0;
        int reporting = 0;
        for (NodeUsage nu : client.resources(NodeUsage.class).list().getItems()) {
            Long a = allocMilli.get(nu.getMetadata().getName());
            if (a == null || a == 0 || nu.getStatus() == null || nu.getStatus().getNode() == null) {
                continue;
            }
            reporting++;
            long u = nu.getStatus().getNode().getCpuMilli();
            UsageAmount p = nu.getStatus().getTiers() == null
                    ? null
                    : nu.getStatus().getTiers().get("prod");
            used += u;
            prod += p == null ? 0 : p.getCpuMilli();
            alloc += a;
            if (u > HOT * a) {
                hot++;
            }
        }
        Sample s = new Sample(
                seconds,
                phase,
                alloc == 0 ? 0 : (double) used / alloc,
                alloc == 0 ? 0 : (double) prod / alloc,
                hot,
                reporting);
        samples.add(s);
        hotNodeSamples += hot;
        nodeSamples += reporting;
        return s;
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Means of the samples of {@code phase}. */
    public PhaseStats stats(String phase) {
        int n = 0;
        double cpu = 0;
        double prod = 0;
        long hot = 0;
        long nodes = 0;
        for (Sample s : samples) {
            if (s.phase().equals(phase)) {
                n++;
                cpu += s.cpu();
                prod += s.prodCpu();
                hot += s.hotNodes();
                nodes += s.reporting();
            }
        }
        return new PhaseStats(
                phase, n, n == 0 ? 0 : cpu / n, n == 0 ? 0 : prod / n, nodes == 0 ? 0 : (double) hot / nodes);
    }

    /** Hot node-samples over all node-samples so far. */
    public double hotNodeTime() {
        return nodeSamples == 0 ? 0 : (double) hotNodeSamples / nodeSamples;
    }
}
