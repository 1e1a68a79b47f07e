package io.qshard.kubeletit.support;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the kubelets made of one burst: per tier, the pods qshard bound to real kubelet nodes, how many of them run,
 * how many the kubelet refused ({@code phase=Failed}: {@code OutOfcpu}, {@code OutOfqshard.io/batch-cpu},
 * {@code UnexpectedAdmissionError}, …) and how many were left unbound; plus per kubelet node Σ cpu and
 * {@code qshard.io/batch-cpu} requests of the pods it holds against its allocatable, to tell a tight burst from a
 * vacuous one. Computed from API objects only (no client), with its own quantity arithmetic, independent of qshard's
 * converters. Immutable.
 *
 * @param tiers     per tier ({@link #TIERS} first, then any other, by name): the tally
 * @param rejected  one line per bound pod in phase Failed: {@code ns/name on node: reason: message}
 * @param notReady  one line per bound pod neither Failed nor fully running (a container not running, or restarted)
 * @param offNodes  one line per pod bound to a node that is not a kubelet node
 * @param nodes     per kubelet node: Σ requests of its non-failed pods and its allocatable
 * @param vanished  pods of the burst no longer in the API (preemption victims)
 */
public record AdmissionAudit(
        Map<String, Tally> tiers,
        List<String> rejected,
        List<String> notReady,
        List<String> offNodes,
        Map<String, NodeLoad> nodes,
        int vanished) {
    /** The shipped tiers, in the order the audit line names them. */
    public static final List<String> TIERS = List.of("prod", "mid", "batch", "free");
    /** The extended resource batch and free pods ask for, in milli-cores. */
    public static final String BATCH_CPU = "qshard.io/batch-cpu";

    /**
     * Per tier counts. {@code placed = running + rejected + pods bound but not (yet) running}.
     *
     * @param placed        bound to a kubelet node
     * @param running       placed, phase Running, every container running, no restart
     * @param rejected      placed and refused by the kubelet (phase Failed)
     * @param unschedulable not bound
     */
    public record Tally(int placed, int running, int rejected, int unschedulable) {}

    /**
     * One kubelet node's load, millicores.
     *
     * @param cpuRequested        Σ cpu requests of the pods bound to it and not Failed
     * @param cpuAllocatable      its {@code status.allocatable} cpu
     * @param batchCpuRequested   Σ {@code qshard.io/batch-cpu} requests of those pods
     * @param batchCpuAdvertised  its {@code status.allocatable} {@code qshard.io/batch-cpu} (0 when not advertised)
     */
    public record NodeLoad(long cpuRequested, long cpuAllocatable, long batchCpuRequested, long batchCpuAdvertised) {}

    /**
     * @param pods         the burst's pods as the API has them now
     * @param kubeletNodes the real kubelet nodes (their allocatable as the API has it now)
     * @param burstSize    how many pods the burst created (≥ {@code pods.size()})
     */
    public static AdmissionAudit of(List<Pod> pods, List<Node> kubeletNodes, int burstSize) {
        if (burstSize < pods.size()) {
            throw new IllegalArgumentException("burstSize " + burstSize + " < pods found " + pods.size());
        }
        Set<String> kubelet =
                kubeletNodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        Map<String, int[]> counts =
                new TreeMap<>((a, b) -> order(a) != order(b) ? order(a) - order(b) : a.compareTo(b));
        TIERS.forEach(t -> counts.put(t, new int[4]));
        Map<String, long[]> load = new TreeMap<>();
        kubelet.forEach(n -> load.put(n, new long[2]));
        List<String> rejected = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        List<String> offNodes = new ArrayList<>();
        for (Pod p : pods) {
            int[] c = counts.computeIfAbsent(tier(p), t -> new int[4]);
            String node = p.getSpec().getNodeName();
            if (node == null || node.isEmpty()) {
                c[3]++;
                continue;
            }
            String id = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " on " + node;
            if (!kubelet.contains(node)) {
                offNodes.add(id);
                continue;
            }
            c[0]++;
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Failed".equals(phase)) {
                c[2]++;
                rejected.add(id + ": " + p.getStatus().getReason() + ": "
                        + p.getStatus().getMessage());
                continue;
            }
            long[] l = load.get(node);
            l[0] += requested(p, "cpu");
            l[1] += requested(p, BATCH_CPU);
            Optional<String> why = notRunning(p);
            if (why.isEmpty()) {
                c[1]++;
            } else {
                notReady.add(id + ": " + why.get());
            }
        }
        Map<String, Tally> tiers = new LinkedHashMap<>();
        counts.forEach((t, c) -> tiers.put(t, new Tally(c[0], c[1], c[2], c[3])));
        Map<String, NodeLoad> nodes = new LinkedHashMap<>();
        for (Node n : kubeletNodes) {
            long[] l = load.get(n.getMetadata().getName());
            Map<String, Quantity> alloc =
                    n.getStatus() == null ? Map.of() : n.getStatus().getAllocatable();
            nodes.put(
                    n.getMetadata().getName(),
                    new NodeLoad(l[0], milli(alloc.get("cpu")), l[1], whole(alloc.get(BATCH_CPU))));
        }
        return new AdmissionAudit(tiers, rejected, notReady, offNodes, nodes, burstSize - pods.size());
    }

    /** Every problem the audit found (refusals, pods not running, pods off the kubelet nodes), one per line. */
    public List<String> problems() {
        List<String> all = new ArrayList<>();
        rejected.forEach(r -> all.add("rejected by the kubelet: " + r));
        notReady.forEach(r -> all.add("bound but not running: " + r));
        offNodes.forEach(r -> all.add("bound to a node without a kubelet: " + r));
        return all;
    }

    /** The shipped tiers that placed no pod on a kubelet node (the audit says nothing about them). */
    public List<String> tiersNotPlaced() {
        return TIERS.stream().filter(t -> tiers.get(t).placed() == 0).toList();
    }

    /**
     * Empty when the burst filled the nodes' last room: some node's cpu requests within {@code slackMilli} of its
     * allocatable, and some node's batch-cpu requests within {@code slackMilli} of its advertisement; else why not.
     */
    public Optional<String> notTight(long slackMilli) {
        boolean cpu = nodes.values().stream().anyMatch(n -> n.cpuRequested() >= n.cpuAllocatable() - slackMilli);
        boolean batch = nodes.values().stream()
                .anyMatch(n ->
                        n.batchCpuAdvertised() > 0 && n.batchCpuRequested() >= n.batchCpuAdvertised() - slackMilli);
        List<String> missing = new ArrayList<>();
        if (!cpu) {
            missing.add("cpu allocatable");
        }
        if (!batch) {
            missing.add(BATCH_CPU + " advertisement");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("burst not tight, raise the counts: no node within " + slackMilli + "m of its "
                + String.join(", nor of its ", missing) + "; nodes " + nodes);
    }

    /**
     * {@code ADMISSION AUDIT round r: placed on real nodes prod a/mid b/batch c/free d, running a+b+c+d, rejected by
     * the kubelet x, left unschedulable e}, then the pods that vanished (preempted) and those bound but not running.
     */
    public String line(int round) {
        String placed = TIERS.stream().map(t -> t + " " + tiers.get(t).placed()).collect(Collectors.joining("/"));
        String running = TIERS.stream()
                .map(t -> Integer.toString(tiers.get(t).running()))
                .collect(Collectors.joining("+"));
        int runningTotal = tiers.values().stream().mapToInt(Tally::running).sum();
        int rejectedTotal = tiers.values().stream().mapToInt(Tally::rejected).sum();
        int unschedulable =
                tiers.values().stream().mapToInt(Tally::unschedulable).sum();
        return "ADMISSION AUDIT round " + round + ": placed on real nodes " + placed + ", running " + running + " = "
                + runningTotal + ", rejected by the kubelet " + rejectedTotal + ", left unschedulable " + unschedulable
                + ", preempted " + vanished + ", bound but not running " + notReady.size();
    }

    /**
     * Whether the kubelet has had its say about a bound pod: refused it or ended it (phase Failed or Succeeded), or
     * runs it with every container started (running or terminated, restarted or not); false while it is Pending or a
     * container is still waiting.
     */
    public static boolean decided(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            return true;
        }
        List<ContainerStatus> statuses =
                p.getStatus() == null ? null : p.getStatus().getContainerStatuses();
        return "Running".equals(phase)
                && statuses != null
                && statuses.size() == p.getSpec().getContainers().size()
                && statuses.stream()
                        .allMatch(s -> s.getState() != null
                                && (s.getState().getRunning() != null
                                        || s.getState().getTerminated() != null));
    }

    /** Why a bound, non-failed pod does not count as running; empty when it does. */
    static Optional<String> notRunning(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (!"Running".equals(phase)) {
            return Optional.of("phase " + phase + conditions(p));
        }
        List<ContainerStatus> statuses = p.getStatus().getContainerStatuses();
        int containers = p.getSpec().getContainers().size();
        if (statuses == null || statuses.size() != containers) {
            return Optional.of(
                    "status of " + (statuses == null ? 0 : statuses.size()) + " of " + containers + " containers");
        }
        for (ContainerStatus s : statuses) {
            if (s.getState() == null || s.getState().getRunning() == null) {
                return Optional.of("container " + s.getName() + " not running: " + s.getState());
            }
            if (s.getRestartCount() != null && s.getRestartCount() > 0) {
                return Optional.of("container " + s.getName() + " restarted " + s.getRestartCount() + " times");
            }
        }
        return Optional.empty();
    }

    private static String conditions(Pod p) {
        List<PodCondition> cs = p.getStatus() == null ? null : p.getStatus().getConditions();
        if (cs == null || cs.isEmpty()) {
            return "";
        }
        return cs.stream()
                .filter(c -> !"True".equals(c.getStatus()))
                .map(c -> c.getType() + "=" + c.getStatus() + (c.getReason() == null ? "" : " (" + c.getReason() + ")"))
                .collect(Collectors.joining(", ", ", ", ""));
    }

    /** The pod's tier: its schedulerName without the {@code qshard-} prefix; {@code other} for another scheduler. */
    static String tier(Pod p) {
        String s = p.getSpec().getSchedulerName();
        return s != null && s.startsWith("qshard-") ? s.substring("qshard-".length()) : "other";
    }

    /** Σ over the containers of the request for {@code resource} (a limit stands for a missing request), milli. */
    static long requested(Pod p, String resource) {
        long sum = 0;
        for (Container c : p.getSpec().getContainers()) {
            if (c.getResources() == null) {
                continue;
            }
            Map<String, Quantity> req = c.getResources().getRequests();
            Map<String, Quantity> lim = c.getResources().getLimits();
            Quantity q = req != null && req.containsKey(resource)
                    ? req.get(resource)
                    : lim == null ? null : lim.get(resource);
            sum += BATCH_CPU.equals(resource) ? whole(q) : milli(q);
        }
        return sum;
    }

    /** A quantity in milli-units (cpu {@code 250m} → 250, {@code 1} → 1000); 0 when absent. */
    static long milli(Quantity q) {
        return q == null ? 0 : scaled(q, 1000);
    }

    /** Extended resources count in whole units: {@code qshard.io/batch-cpu: 100} is 100 milli-cores. */
    private static long whole(Quantity q) {
        return q == null ? 0 : scaled(q, 1);
    }

    private static long scaled(Quantity q, long factor) {
        BigDecimal v = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(factor));
        return v.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static int order(String tier) {
        int i = TIERS.indexOf(tier);
        return i < 0 ? TIERS.size() : i;
    }
}
