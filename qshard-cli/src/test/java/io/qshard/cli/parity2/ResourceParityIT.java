package io.qshard.cli.parity2;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.cli.parity.KubeSchedulerProcess;
import io.qshard.cli.parity.ParityCluster;
import io.qshard.cli.parity.ParityReport;
import io.qshard.cli.parity.Prober;
import io.qshard.cli.parity.QshardProd;
import io.qshard.cli.parity.Verdict;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differential test of issue 21 on one real apiserver, built like issue 20's {@code TopologyParityIT} (same prober,
 * verdicts and pinning): kube-scheduler 1.20.2 (its default profile) and qshard's prod tier with its shipped defaults
 * schedule the same probe pods on the same five fixture nodes ({@link ResourceCluster}), case by case
 * ({@link ResourceCases}: extended resources, ephemeral-storage, hugepages, init containers, sidecar, overhead, host
 * ports, volumes, attach limits, gates, matchFields): a probe pinned to each node in turn (feasibility and reason),
 * then an unpinned one (placement), one probe in the cluster at a time.
 *
 * <p>A kube-controller-manager running only the PV controller ({@link PvBinderProcess}) is a child of this test for
 * its duration. kube-scheduler's answers are the reference, checked against each case's expectation; qshard's
 * against them, reasons included. Both tables of differences are in the failure message; the summary is written to
 * {@code target/resource-parity/summary.md}.
 */
@RealControlPlane
class ResourceParityIT {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceParityIT.class);
    private static final ResourceCaseRun.Contender KUBE =
            new ResourceCaseRun.Contender("kube-scheduler", "default-scheduler");
    private static final ResourceCaseRun.Contender QSHARD = new ResourceCaseRun.Contender("qshard", "qshard-prod");
    private static final Path OUT = Path.of("target", "resource-parity");
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(20);
    /** A scheduler that leaves this many probes of one case unanswered is broken, not slow: stop there. */
    private static final int MAX_TIMEOUTS_PER_CASE = 3;

    @Test
    void qshardProdFitsPortsAndVolumesLikeKubeScheduler120(KubernetesClient admin, LocalControlPlane cp)
            throws IOException {
        List<ResourceCase> cases = ResourceCases.all();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
        long t0 = System.nanoTime();
        ResourceCluster.create(admin);
        try (PvBinderProcess pv = PvBinderProcess.start(cp.kubeconfig(), OUT.resolve("kube-controller-manager.log"));
                KubeSchedulerProcess kube =
                        KubeSchedulerProcess.start(cp.kubeconfig(), OUT.resolve("kube-scheduler.log"))) {
            SchedulerProcess qshard = QshardProd.start(cp);
            try {
                ResourceReport report = compare(admin, kube, pv, cases);
                String tables = ParityReport.table(
                                "Cases where kube-scheduler differs from the expectation",
                                "expected",
                                report.designErrors())
                        + "\n"
                        + ParityReport.table(
                                "Disagreements of qshard with kube-scheduler", "qshard", report.disagreements())
                        + "\nPer case (" + cases.size() + ", "
                        + (System.nanoTime() - t0) / 1_000_000_000 + " s):\n" + report.summary() + "\n";
                Files.createDirectories(OUT);
                Files.writeString(OUT.resolve("summary.md"), tables);
                LOG.info("resource parity:\n{}", tables);
                assertThat(report.designErrors()).withFailMessage(tables).isEmpty();
                assertThat(report.disagreements()).withFailMessage(tables).isEmpty();
                assertThat(leftovers(admin))
                        .as("cluster-wide objects the cases left behind")
                        .isEmpty();
            } finally {
                qshard.stop(Duration.ofSeconds(5));
            }
        } finally {
            ResourceCluster.delete(admin);
        }
    }

    private static ResourceReport compare(
            KubernetesClient admin, KubeSchedulerProcess kube, PvBinderProcess pv, List<ResourceCase> cases) {
        List<ResourceCaseRun.Contender> contenders = List.of(KUBE, QSHARD);
        warmUp(admin, kube, contenders);
        ResourceCaseRun run = new ResourceCaseRun(admin, new Prober(admin, ANSWER_DEADLINE));
        ResourceReport report = new ResourceReport(KUBE, QSHARD);
        for (int i = 0; i < cases.size(); i++) {
            long t0 = System.nanoTime();
            ResourceCaseRun.Result r = run.run(i, cases.get(i), contenders);
            report.add(r);
            LOG.info("case {} ({}) done in {} ms", i, cases.get(i).name(), (System.nanoTime() - t0) / 1_000_000);
            for (ResourceCaseRun.Contender who : contenders) {
                long timeouts = r.pinned().get(who).values().stream()
                        .filter(v -> v.kind() == Verdict.Kind.TIMEOUT)
                        .count();
                assertThat(timeouts)
                        .withFailMessage(
                                "%s answered no probe of case %s within %s %d times: it is not deciding "
                                        + "(kube-scheduler alive: %s, PV controller alive: %s, kube-scheduler log "
                                        + "tail:%n%s%nPV controller log tail:%n%s)%nso far:%n%s",
                                who.label(),
                                cases.get(i).name(),
                                ANSWER_DEADLINE,
                                timeouts,
                                kube.isAlive(),
                                pv.isAlive(),
                                kube.logTail(),
                                pv.logTail(),
                                report.summary())
                        .isLessThan(MAX_TIMEOUTS_PER_CASE);
            }
        }
        return report;
    }

    /** StorageClasses, PVs, RuntimeClasses and CSINodes of the cases (their names start with rp) still there. */
    private static List<String> leftovers(KubernetesClient admin) {
        List<String> names = new ArrayList<>();
        admin.storage().v1().storageClasses().list().getItems().forEach(o -> names.add("StorageClass " + name(o)));
        admin.persistentVolumes().list().getItems().forEach(o -> names.add("PersistentVolume " + name(o)));
        admin.resources(RuntimeClass.class).list().getItems().forEach(o -> names.add("RuntimeClass " + name(o)));
        admin.storage().v1().csiNodes().list().getItems().forEach(o -> names.add("CSINode " + name(o)));
        return names.stream().filter(n -> n.contains(" rp")).toList();
    }

    private static String name(HasMetadata o) {
        return o.getMetadata().getName();
    }

    /** One unpinned pod per contender, bound before any case starts: both schedulers are up and see the nodes. */
    private static void warmUp(
            KubernetesClient admin, KubeSchedulerProcess kube, List<ResourceCaseRun.Contender> contenders) {
        String ns = Namespaces.fresh(admin, "rp-warmup");
        Prober prober = new Prober(admin, Duration.ofSeconds(90));
        for (ResourceCaseRun.Contender who : contenders) {
            Verdict v = prober.probe(ShapePods.build(
                    PodShape.probe(),
                    "warmup-" + who.label(),
                    ns,
                    who.schedulerName(),
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
