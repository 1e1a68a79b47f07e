package io.qshard.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differential test of issue 22 (acceptance item 5) on one real apiserver: kube-scheduler 1.20.2 (schedulerName
 * {@code default-scheduler}, default profile: DefaultPreemption with its default arguments) and qshard's prod tier
 * with its shipped defaults (in-process, as {@code qshard run --tier prod} starts it) each preempt for the same
 * preemptor on the same cluster state ({@link PreemptionCases}), one case and one scheduler at a time: the nominated
 * node, the deleted victims and the node bound must be the same. Every case has at most 8 nodes (so 1.20 dry-runs
 * every node), distinct pod start times and one right answer under 1.20's rules ({@link PreemptionOracle});
 * kube-scheduler is checked against that answer first (a mismatch means the case is designed wrong). The table is
 * written to {@code target/preemption-parity/summary.md}. A scheduler that answers two cases in a row with nothing
 * within 30 s is not asked again.
 */
@RealControlPlane
class PreemptionParityIT {
    private static final Logger LOG = LoggerFactory.getLogger(PreemptionParityIT.class);
    private static final CaseRun.Contender KUBE = new CaseRun.Contender("kube-scheduler", "default-scheduler");
    private static final CaseRun.Contender QSHARD = new CaseRun.Contender("qshard", "qshard-prod");
    private static final Path OUT = Path.of("target", "preemption-parity");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int MAX_MISSES_IN_A_ROW = 2;
    private static final String WARM_UP = "warm-up";

    @Test
    void qshardProdPreemptsLikeKubeScheduler120(KubernetesClient admin, LocalControlPlane cp) throws IOException {
        assertThat(cp.pids())
                .as("no kube-controller-manager may run: its disruption controller would rewrite the budgets' status")
                .doesNotContainKey("kube-controller-manager");
        assertThat(admin.supports(PodDisruptionBudget.class))
                .as("the apiserver serves policy/v1beta1 PodDisruptionBudgets")
                .isTrue();
        LOG.info(
                "policy/v1 PodDisruptionBudgets served: {} (the cases use policy/v1beta1, what 1.20 reads)",
                admin.supports(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class));
        long t0 = System.nanoTime();
        List<PreemptionCase> cases = PreemptionCases.all();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            nodes.addAll(PreemptionRun.nodes(i, cases.get(i)));
        }
        nodes.add(NodeFixture.node("pp-warm-up")
                .cpu("4")
                .memory("8Gi")
                .label(PreemptionRun.CASE_LABEL, WARM_UP)
                .build());
        createPriorityClasses(admin);
        nodes.forEach(n -> admin.resource(n).create());
        Files.createDirectories(OUT);
        try (KubeSchedulerProcess kube =
                KubeSchedulerProcess.start(cp.kubeconfig(), OUT.resolve("kube-scheduler.log"))) {
            SchedulerProcess qshard = QshardProd.start(cp);
            try {
                PreemptionReport report = compare(admin, kube, cases);
                String summary = "Preemption parity, kube-scheduler 1.20.2 vs qshard prod ("
                        + (System.nanoTime() - t0) / 1_000_000_000 + " s)\n\n" + report.summary();
                Files.writeString(OUT.resolve("summary.md"), summary);
                LOG.info("preemption parity:\n{}", summary);
                assertThat(report.designErrors())
                        .withFailMessage("%s%nkube-scheduler log tail:%n%s", summary, kube.logTail())
                        .isEmpty();
                assertThat(report.disagreements()).withFailMessage(summary).isEmpty();
            } finally {
                qshard.stop(Duration.ofSeconds(5));
            }
        } finally {
            nodes.forEach(n -> admin.nodes().withName(n.getMetadata().getName()).delete());
            PreemptionCases.PRIORITY_CLASSES
                    .values()
                    .forEach(name -> admin.scheduling()
                            .v1()
                            .priorityClasses()
                            .withName(name)
                            .delete());
        }
    }

    private static PreemptionReport compare(
            KubernetesClient admin, KubeSchedulerProcess kube, List<PreemptionCase> cases) {
        warmUp(admin, kube);
        PreemptionRun run = new PreemptionRun(
                admin, DEADLINE, new CacheBarrier(admin, "pp-warm-up", PreemptionRun.CASE_LABEL, WARM_UP));
        PreemptionReport report = new PreemptionReport();
        int kubeMisses = 0;
        int qshardMisses = 0;
        for (int i = 0; i < cases.size(); i++) {
            PreemptionCase c = cases.get(i);
            PreemptionOutcome k = run.run(i, c, KUBE);
            kubeMisses = k.answered() ? 0 : kubeMisses + 1;
            assertThat(kubeMisses)
                    .withFailMessage(
                            "kube-scheduler bound no preemptor of %d cases in a row (%s: %s; alive: %s), log tail:%n%s",
                            kubeMisses, c.name(), k.brief(), kube.isAlive(), kube.logTail())
                    .isLessThan(MAX_MISSES_IN_A_ROW);
            PreemptionOutcome q = qshardMisses >= MAX_MISSES_IN_A_ROW
                    ? PreemptionOutcome.skipped("qshard bound no preemptor of the " + MAX_MISSES_IN_A_ROW
                            + " cases before within " + DEADLINE.toSeconds() + " s")
                    : run.run(i, c, QSHARD);
            if (q.kind() != PreemptionOutcome.Kind.SKIPPED) {
                qshardMisses = q.answered() ? 0 : qshardMisses + 1;
            }
            LOG.info(
                    "case {} {}: expected {} | kube-scheduler {} | qshard {}",
                    i,
                    c.name(),
                    c.expected().brief(),
                    k.brief(),
                    q.brief());
            report.add(c, k, q);
        }
        return report;
    }

    /** The case PriorityClasses (the apiserver's Priority admission sets each pod's priority from them). */
    private static void createPriorityClasses(KubernetesClient admin) {
        for (Map.Entry<Integer, String> e : PreemptionCases.PRIORITY_CLASSES.entrySet()) {
            admin.resource(new PriorityClassBuilder()
                            .withNewMetadata()
                            .withName(e.getValue())
                            .endMetadata()
                            .withValue(e.getKey())
                            .withDescription("PreemptionParityIT")
                            .build())
                    .createOr(NonDeletingOperation::update);
        }
    }

    /** One pod per scheduler on the warm-up node, bound before any case: both are up and see the nodes. */
    private static void warmUp(KubernetesClient admin, KubeSchedulerProcess kube) {
        String ns = Namespaces.fresh(admin, "pp-warm-up");
        Prober prober = new Prober(admin, Duration.ofSeconds(90));
        for (CaseRun.Contender who : List.of(KUBE, QSHARD)) {
            Pod base = PodFixture.pod("warm-up-" + who.label())
                    .namespace(ns)
                    .tier("prod")
                    .schedulerName(who.schedulerName())
                    .build();
            Verdict v = prober.probe(new PodBuilder(base)
                    .editSpec()
                    .withNodeSelector(Map.of(PreemptionRun.CASE_LABEL, WARM_UP))
                    .endSpec()
                    .build());
            assertThat(v.feasible())
                    .withFailMessage(
                            "%s did not bind the warm-up pod: %s (kube-scheduler alive: %s, log tail:%n%s)",
                            who.label(), v, kube.isAlive(), kube.logTail())
                    .isTrue();
        }
    }
}
