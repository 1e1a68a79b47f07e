package io.qshard.cli;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.oversale.OversalePlan;
import io.qshard.core.model.Resources;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.NodeConverter;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard oversale status}: the ratios of the opted-in nodes, as wanted and as applied, with what backs them. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Print, per node labelled qshard.io/oversale=true: the ratios wanted (annotations) and applied by the "
                        + "webhook, real and reported allocatable, what bound pods request, usage from its last NodeUsage report, "
                        + "the lowest ratio that still covers the requests, and when the controller last changed it.")
public final class OversaleStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--max-cpu-ratio",
            paramLabel = "X",
            defaultValue = "2.0",
            description = "To flag invalid cpu ratios (default: ${DEFAULT-VALUE}).")
    double maxCpu;

    @Option(
            names = "--max-memory-ratio",
            paramLabel = "X",
            defaultValue = "1.5",
            description = "To flag invalid memory ratios (default: ${DEFAULT-VALUE}).")
    double maxMemory;

    @Mixin
    KubeconfigOption cluster;

    @Override
    public Integer call() {
        try {
            OversaleRatio.checkMax("--max-cpu-ratio", maxCpu);
            OversaleRatio.checkMax("--max-memory-ratio", maxMemory);
        } catch (IllegalArgumentException e) {
            throw new io.qshard.kube.process.UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = ApiserverConnection.open(cluster.resolve(), "qshard-oversale-status")) {
            Map<String, Resources> requested = new HashMap<>();
            for (Pod p : client.pods()
                    .inAnyNamespace()
                    .withoutField("spec.nodeName", "")
                    .list()
                    .getItems()) {
                String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
                if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                    requested.merge(p.getSpec().getNodeName(), nativeRequests(p), Resources::plus);
                }
            }
            Map<String, NodeUsage> usage = new HashMap<>();
            if (client.supports(NodeUsage.class)) {
                client.resources(NodeUsage.class)
                        .list()
                        .getItems()
                        .forEach(u -> usage.put(u.getMetadata().getName(), u));
            }
            out.printf(
                    "%-24s %-13s %-13s %-13s %-13s %-15s %-13s %-11s %-20s %s%n",
                    "NODE",
                    "CPU WANT/APPL",
                    "MEM WANT/APPL",
                    "CPU REAL/REP",
                    "CPU REQUESTED",
                    "CPU USED (AGE)",
                    "MEM REAL/REP",
                    "CPU FLOOR",
                    "CHANGED",
                    "PROBLEMS");
            int shown = 0;
            for (Node api : client.nodes()
                    .withLabel(OversaleRatio.OPT_IN_LABEL, "true")
                    .list()
                    .getItems()) {
                io.qshard.core.model.Node n;
                try {
                    n = NodeConverter.convert(api);
                } catch (ConversionException e) {
                    System.err.println("skipped: " + e.getMessage());
                    continue;
                }
                Map<String, String> a = n.annotations();
                double[] applied = OversaleRatio.applied(a.get(OversaleRatio.APPLIED_ANNOTATION));
                Resources req = requested.getOrDefault(n.name(), Resources.ZERO);
                NodeUsage u = usage.get(n.name());
                String used =
                        u == null || u.getStatus() == null || u.getStatus().getNode() == null
                                ? "-"
                                : u.getStatus().getNode().getCpuMilli() + "m ("
                                        + age(u.getStatus().getTimestamp()) + ")";
                StringBuilder problems = new StringBuilder();
                check(problems, "cpu", a.get(OversaleRatio.CPU_ANNOTATION), maxCpu);
                check(problems, "memory", a.get(OversaleRatio.MEMORY_ANNOTATION), maxMemory);
                if (req.milliCpu() > n.allocatable().milliCpu()
                        || req.memoryBytes() > n.allocatable().memoryBytes()) {
                    problems.append("requests exceed reported allocatable; ");
                }
                out.printf(
                        Locale.ROOT,
                        "%-24s %-13s %-13s %-13s %-13s %-15s %-13s %-11s %-20s %s%n",
                        n.name(),
                        or(a.get(OversaleRatio.CPU_ANNOTATION)) + "/" + plain(applied[0]),
                        or(a.get(OversaleRatio.MEMORY_ANNOTATION)) + "/" + plain(applied[1]),
                        n.realAllocatable().milliCpu() + "/" + n.allocatable().milliCpu() + "m",
                        req.milliCpu() + "m",
                        used,
                        (n.realAllocatable().memoryBytes() >> 30) + "/"
                                + (n.allocatable().memoryBytes() >> 30) + "Gi",
                        String.format(
                                Locale.ROOT,
                                "%.2f",
                                Math.max(
                                        1,
                                        (double) req.milliCpu()
                                                / Math.max(
                                                        1, n.realAllocatable().milliCpu()))),
                        or(a.get(OversalePlan.CHANGED_AT)),
                        problems.length() == 0 ? "-" : problems.toString().trim());
                shown++;
            }
            if (shown == 0) {
                out.println("(no node is labelled " + OversaleRatio.OPT_IN_LABEL + "=true)");
            }
        }
        out.flush();
        return 0;
    }

    private static void check(StringBuilder problems, String what, String value, double max) {
        var p = OversaleRatio.parse(value, max);
        if (p.isPresent() && !p.get().valid()) {
            problems.append(what).append(" ratio ").append(p.get().problem()).append("; ");
        }
    }

    private static Resources nativeRequests(Pod p) {
        long cpu = 0;
        long memory = 0;
        for (var c : p.getSpec().getContainers()) {
            if (c.getResources() != null && c.getResources().getRequests() != null) {
                var r = c.getResources().getRequests();
                cpu += r.containsKey("cpu") ? io.qshard.kube.convert.Quantities.milli(r.get("cpu")) : 0;
                memory += r.containsKey("memory") ? io.qshard.kube.convert.Quantities.value(r.get("memory")) : 0;
            }
        }
        return Resources.of(cpu, memory);
    }

    private static String age(String timestamp) {
        try {
            long s = java.time.Duration.between(java.time.Instant.parse(timestamp), java.time.Instant.now())
                    .toSeconds();
            return s + "s";
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String or(String s) {
        return s == null ? "-" : s;
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
