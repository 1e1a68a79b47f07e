package io.qshard.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differential test of issue 20 on one real apiserver: kube-scheduler 1.20.2 (schedulerName {@code default-scheduler},
 * its default profile, no leader election) and qshard's prod tier with its shipped defaults (started in-process as
 * {@code qshard run --tier prod} starts it) schedule the same probe pods on the same fixture cluster
 * ({@link ParityCluster}), case by case ({@link TopologyCases}): a probe pinned to each node in turn (feasibility),
 * then an unpinned one (placement), one probe in the cluster at a time.
 *
 * <p>kube-scheduler's answers are the reference: they are checked against each case's expectation (a mismatch means
 * the case is designed wrong), and qshard's against them, including the reasons of rejections. Both tables of
 * differences are in the failure message; the per-case summary is written to
 * {@code target/topology-parity/summary.md}.
 */
@RealControlPlane
class TopologyParityIT {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyParityIT.class);
    private static final CaseRun.Contender KUBE = new CaseRun.Contender("kube-scheduler", "default-scheduler");
    private static final CaseRun.Contender QSHARD = new CaseRun.Contender("qshard", "qshard-prod");
    private static final Path OUT = Path.of("target", "topology-parity");
    /** A scheduler that leaves this many probes of one case unanswered is broken, not slow: stop there. */
    private static final int MAX_TIMEOUTS_PER_CASE = 3;

    @Test
    void qshardProdPlacesLikeKubeScheduler120(KubernetesClient admin, LocalControlPlane cp) throws IOException {
        assertThat(cp.pids())
                .as("no kube-controller-manager may run: its ReplicaSet controller would manage the cases' pods")
                .doesNotContainKey("kube-controller-manager");
        List<ParityCase> cases = TopologyCases.all();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
        ParityCluster.create(admin);
        try (KubeSchedulerProcess kube =
                KubeSchedulerProcess.start(cp.kubeconfig(), OUT.resolve("kube-scheduler.log"))) {
            SchedulerProcess qshard = QshardProd.start(cp);
            try {
                ParityReport report = compare(admin, kube, cases);
                String tables = ParityReport.table(
                                "Cases where kube-scheduler differs from the expectation",
                                "expected",
                                report.designErrors())
                        + "\n"
                        + ParityReport.table(
                                "Disagreements of qshard with kube-scheduler", "qshard", report.disagreements())
                        + "\nPer case:\n" + report.summary() + "\nNotes:\n" + String.join("\n", report.notes());
                Files.writeString(OUT.resolve("summary.md"), tables);
                LOG.info("topology parity:\n{}", tables);
                assertThat(report.designErrors()).withFailMessage(tables).isEmpty();
                assertThat(report.disagreements()).withFailMessage(tables).isEmpty();
            } finally {
                qshard.stop(Duration.ofSeconds(5));
            }
        } finally {
            ParityCluster.delete(admin);
        }
    }

    private static ParityReport compare(KubernetesClient admin, KubeSchedulerProcess kube, List<ParityCase> cases) {
        List<CaseRun.Contender> contenders = List.of(KUBE, QSHARD);
        warmUp(admin, kube, contenders);
        Prober prober = new Prober(admin, Duration.ofSeconds(20));
        CaseRun run = new CaseRun(admin, prober);
        ParityReport report = new ParityReport(KUBE, QSHARD);
        for (int i = 0; i < cases.size(); i++) {
            CaseRun.Result r = run.run(i, cases.get(i), contenders);
            report.add(r);
            for (CaseRun.Contender who : contenders) {
                long timeouts = r.pinned().get(who).values().stream()
                        .filter(v -> v.kind() == Verdict.Kind.TIMEOUT)
                        .count();
                assertThat(timeouts)
                        .withFailMessage(
                                "%s answered no probe of case %s within 20 s %d times: it is not deciding "
                                        + "(kube-scheduler alive: %s, log tail:%n%s)%nso far:%n%s",
                                who.label(),
                                cases.get(i).name(),
                                timeouts,
                                kube.isAlive(),
                                kube.logTail(),
                                report.summary())
                        .isLessThan(MAX_TIMEOUTS_PER_CASE);
            }
        }
        return report;
    }

    /** One unpinned pod per contender, bound before any case starts: both schedulers are up and see the nodes. */
    private static void warmUp(KubernetesClient admin, KubeSchedulerProcess kube, List<CaseRun.Contender> contenders) {
        String ns = Namespaces.fresh(admin, "tp-warmup");
        Prober prober = new Prober(admin, Duration.ofSeconds(90));
        for (CaseRun.Contender who : contenders) {
            Verdict v = prober.probe(ParityPods.build(
                    Shape.probe(),
                    "warmup-" + who.label(),
                    who.schedulerName(),
                    logical -> ns,
                    null,
                    null,
                    ParityCluster.anyNode()));
            assertThat(v.feasible())
                    .withFailMessage(
                            "%s did not bind the warm-up pod: %s (kube-scheduler alive: %s, log tail:%n%s)",
                            who.label(), v, kube.isAlive(), kube.logTail())
                    .isTrue();
        }
    }
}
