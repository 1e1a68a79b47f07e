package io.qshard.cli.parity;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one {@link PreemptionCase} for one scheduler: in a fresh namespace, creates the budgets (status written by hand:
 * no disruption controller runs), the existing pods bound to the case's nodes ({@code default-scheduler}, requests =
 * limits, grace period 0, {@code status.startTime} and phase Running written by hand: no kubelet runs), then the
 * preemptor, and waits until it is bound; then deletes every pod and budget of the case. The case's nodes are created
 * once for the whole test ({@link #nodes}) and labelled per case; the preemptor's node selector names its case, so it
 * can only be nominated among them, and the other nodes are no potential nodes (NodeAffinity rejects them
 * UnschedulableAndUnresolvable; a node selector rather than a taint per case keeps kube-scheduler's FailedScheduling
 * message to one reason per kind, under the 1,024 characters an Event may carry). Not thread-safe.
 */
final class PreemptionRun {
    /** {@link PreemptionCase.Existing#startSecond()} counts from here. */
    static final Instant START_BASE = Instant.parse("2026-01-01T00:00:00Z");
    /** Label on every case node; the value is the case's index. */
    static final String CASE_LABEL = "qshard.io/preemption-case";

    private static final String EXISTING_SCHEDULER = "default-scheduler"; // bound at create time: no scheduler runs
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration LATE_NOMINATION = Duration.ofSeconds(5);

    private final KubernetesClient admin;
    private final Duration deadline;
    private final CacheBarrier barrier;

    /**
     * @param deadline how long a scheduler may take to preempt and bind one preemptor
     * @param barrier passed after the case's pods are written and before the preemptor is created, so both
     *     schedulers decide on a cache that has every write
     */
    PreemptionRun(KubernetesClient admin, Duration deadline, CacheBarrier barrier) {
        this.admin = admin;
        this.deadline = deadline;
        this.barrier = barrier;
    }

    /** The API name of case {@code index}'s logical node {@code logical}. */
    static String nodeName(int index, String logical) {
        return String.format("pp%02d-%s", index, logical);
    }

    /** Case {@code index}'s nodes, labelled {@code CASE_LABEL=<index>}. */
    static List<Node> nodes(int index, PreemptionCase c) {
        return c.setup().nodes().stream()
                .map(n -> NodeFixture.node(nodeName(index, n.name()))
                        .cpu(n.milliCpu() + "m")
                        .memory(n.memoryMi() + "Mi")
                        .label(CASE_LABEL, Integer.toString(index))
                        .build())
                .toList();
    }

    PreemptionOutcome run(int index, PreemptionCase c, CaseRun.Contender who) {
        String ns = Namespaces.fresh(admin, "pp" + index + "-" + who.label());
        try {
            for (PreemptionCase.Budget b : c.setup().budgets()) {
                createBudget(ns, b, c);
            }
            for (PreemptionCase.Existing e : c.setup().existing()) {
                createExisting(ns, index, e);
            }
            barrier.pass(ns, who.schedulerName());
            Pod preemptor = preemptor(ns, index, c.setup().preemptor(), who.schedulerName());
            long t0 = System.nanoTime();
            String rv = admin.resource(preemptor).create().getMetadata().getResourceVersion();
            try (PreemptionWatch watch = new PreemptionWatch(admin, ns, "preemptor", rv)) {
                boolean bound;
                try {
                    await("preemptor of " + c.name() + " bound by " + who.label())
                            .atMost(deadline)
                            .pollDelay(Duration.ZERO)
                            .pollInterval(POLL)
                            .until(() -> watch.bound() != null || watch.failure() != null);
                    bound = watch.bound() != null;
                } catch (ConditionTimeoutException e) {
                    bound = false;
                }
                if (bound && watch.nominations().isEmpty()) {
                    awaitLateNomination(watch);
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                return outcome(index, c, ns, watch, bound, millis);
            }
        } finally {
            cleanUp(ns);
        }
    }

    private PreemptionOutcome outcome(
            int index, PreemptionCase c, String ns, PreemptionWatch watch, boolean bound, long millis) {
        Set<String> present = new HashSet<>();
        for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
            if (p.getMetadata().getDeletionTimestamp() == null) {
                present.add(p.getMetadata().getName());
            }
        }
        Set<String> victims = new HashSet<>();
        c.setup().existing().stream()
                .map(PreemptionCase.Existing::name)
                .filter(n -> !present.contains(n))
                .forEach(victims::add);
        List<String> nominations =
                watch.nominations().stream().map(n -> logical(index, n)).toList();
        Pod last = watch.last();
        boolean stillNominated = last != null
                && last.getStatus() != null
                && last.getStatus().getNominatedNodeName() != null
                && !last.getStatus().getNominatedNodeName().isEmpty();
        PreemptionOutcome.Kind kind = bound
                ? PreemptionOutcome.Kind.BOUND
                : nominations.isEmpty() ? PreemptionOutcome.Kind.NO_ANSWER : PreemptionOutcome.Kind.NOMINATED;
        String message = watch.failure() != null ? "watch failed: " + watch.failure() : unschedulableMessage(last);
        return new PreemptionOutcome(
                kind,
                nominations,
                watch.nominatedBeforeBound(),
                stillNominated,
                logical(index, watch.bound()),
                victims,
                message,
                millis);
    }

    /**
     * A scheduler that writes the nomination after its binding (1.20 writes it before the preemptor is retried): give
     * the write a moment to land, so the outcome does not depend on which request the apiserver saw first.
     */
    private static void awaitLateNomination(PreemptionWatch watch) {
        try {
            await("a nomination after the binding")
                    .atMost(LATE_NOMINATION)
                    .pollInterval(POLL)
                    .until(() -> !watch.nominations().isEmpty());
        } catch (ConditionTimeoutException e) {
            // bound without a nomination: the outcome says so
        }
    }

    /** A case node's logical name; any other node's name as it is; null or "" as null. */
    private static String logical(int index, String apiName) {
        if (apiName == null || apiName.isEmpty()) {
            return null;
        }
        String prefix = nodeName(index, "");
        return apiName.startsWith(prefix) ? apiName.substring(prefix.length()) : apiName;
    }

    private static String unschedulableMessage(Pod p) {
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return "";
        }
        for (PodCondition cond : p.getStatus().getConditions()) {
            if ("PodScheduled".equals(cond.getType()) && "False".equals(cond.getStatus())) {
                return cond.getMessage();
            }
        }
        return "";
    }

    /**
     * A budget with {@code maxUnavailable} = its allowed disruptions and the status the disruption controller would
     * write over the case's matching pods (only {@code disruptionsAllowed} and {@code disruptedPods} are read by 1.20).
     */
    private void createBudget(String ns, PreemptionCase.Budget b, PreemptionCase c) {
        PodDisruptionBudget created = admin.resource(new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withName(b.name())
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withMaxUnavailable(new IntOrString(b.disruptionsAllowed()))
                        .withNewSelector()
                        .withMatchLabels(b.matchLabels())
                        .endSelector()
                        .endSpec()
                        .build())
                .create();
        int matching = (int) c.setup().existing().stream()
                .filter(e -> e.labels().entrySet().containsAll(b.matchLabels().entrySet()))
                .count();
        Map<String, String> disrupted = new HashMap<>();
        b.disruptedPods().forEach(p -> disrupted.put(p, START_BASE.toString()));
        admin.policy()
                .v1beta1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName(b.name())
                .editStatus(x -> new PodDisruptionBudgetBuilder(x)
                        .withStatus(new PodDisruptionBudgetStatusBuilder()
                                .withDisruptionsAllowed(b.disruptionsAllowed())
                                .withCurrentHealthy(matching)
                                .withDesiredHealthy(Math.max(0, matching - b.disruptionsAllowed()))
                                .withExpectedPods(matching)
                                .withObservedGeneration(created.getMetadata().getGeneration())
                                .withDisruptedPods(disrupted)
                                .build())
                        .build());
    }

    private void createExisting(String ns, int index, PreemptionCase.Existing e) {
        Pod base = PodFixture.pod(e.name())
                .namespace(ns)
                .tier("prod")
                .schedulerName(EXISTING_SCHEDULER)
                .cpuMilli(e.milliCpu())
                .memoryMi(e.memoryMi())
                .build();
        Pod pod = new PodBuilder(base)
                .editMetadata()
                .withLabels(e.labels())
                .endMetadata()
                .editSpec()
                .withNodeName(nodeName(index, e.node()))
                .withPriorityClassName(PreemptionCases.PRIORITY_CLASSES.get(e.priority()))
                .withTerminationGracePeriodSeconds(0L)
                .endSpec()
                .build();
        admin.resource(pod).create();
        String start = START_BASE.plusSeconds(e.startSecond()).toString();
        admin.pods()
                .inNamespace(ns)
                .withName(e.name())
                .editStatus(p -> new PodBuilder(p)
                        .editOrNewStatus()
                        .withPhase("Running")
                        .withStartTime(start)
                        .endStatus()
                        .build());
    }

    private static Pod preemptor(String ns, int index, PreemptionCase.Preemptor p, String schedulerName) {
        Pod base = PodFixture.pod("preemptor")
                .namespace(ns)
                .tier("prod")
                .schedulerName(schedulerName)
                .cpuMilli(p.milliCpu())
                .memoryMi(p.memoryMi())
                .build();
        return new PodBuilder(base)
                .editSpec()
                .withPriorityClassName(PreemptionCases.PRIORITY_CLASSES.get(p.priority()))
                .withNodeSelector(Map.of(CASE_LABEL, Integer.toString(index)))
                .withTerminationGracePeriodSeconds(0L)
                .endSpec()
                .build();
    }

    private void cleanUp(String ns) {
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        admin.policy().v1beta1().podDisruptionBudget().inNamespace(ns).delete();
        await("pods of " + ns + " gone")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> admin.pods().inNamespace(ns).list().getItems().isEmpty());
    }
}
