package io.qshard.cli.parity2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.metrics.Metrics;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 21's audit after a mixed backlog: qshard-prod (shipped defaults, in-process as {@code qshard run --tier prod}
 * starts it) schedules 300 pods created at once — plain ones among GPU, host-port, CSI-volume and big ones, with more
 * demand than supply for GPUs, the port, CSI attachments and big-node cpu ({@link MixedBacklog}) — on 20 API-only
 * nodes. Once every pod is bound or marked unschedulable (PodScheduled=False), the API alone must show no node over
 * any allocatable resource, no host port conflict and no CSINode attach limit exceeded ({@link BacklogAudit}), every
 * pending pod's reason naming what it lacks, and every scarce resource used to its supply.
 */
@RealControlPlane
class MixedBacklogAuditIT {
    private static final Logger LOG = LoggerFactory.getLogger(MixedBacklogAuditIT.class);
    private static final String SCHEDULER = "qshard-prod";
    private static final int CLAIMS = MixedBacklog.Kind.PVC.count;

    @Test
    void noNodeOverItsResourcesPortsOrVolumeLimitsAfterAMixedBacklog(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "mixed-backlog");
        Bulk.create(admin, MixedBacklog.nodes(), 8);
        Bulk.create(admin, MixedBacklog.csiNodes(), 8);
        for (int i = 0; i < CLAIMS; i++) {
            MixedBacklog.createBoundClaim(admin, ns, i);
        }
        QshardConfig cfg = QshardConfig.defaults();
        SchedulerProcess qshard = SchedulerProcess.start(
                cp.kubeconfig(),
                cfg,
                ShippedPlugins.registry(),
                List.of(new SchedulerProcess.Instance(cfg.tier(DefaultTiers.PROD), 0)),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC(),
                Metrics.NOOP);
        try {
            long t0 = System.nanoTime();
            Bulk.create(admin, MixedBacklog.pods(ns, SCHEDULER), 16);
            List<Pod> pods = await("every backlog pod bound or marked unschedulable")
                    .atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.pods().inNamespace(ns).list().getItems(), MixedBacklogAuditIT::settled);
            LOG.info("mixed backlog settled in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, counts(pods));
            audit(admin, ns, pods);
        } finally {
            qshard.stop(Duration.ofSeconds(5));
            cleanUp(admin, ns);
        }
    }

    private static void audit(KubernetesClient admin, String ns, List<Pod> pods) {
        List<String> violations = BacklogAudit.violations(
                admin.nodes().list().getItems(),
                pods,
                admin.persistentVolumeClaims().inNamespace(ns).list().getItems(),
                admin.persistentVolumes().list().getItems(),
                admin.storage().v1().csiNodes().list().getItems());
        assertThat(violations).as("what a kubelet would refuse").isEmpty();
        List<String> wrongReasons = new ArrayList<>();
        for (Pod p : pods) {
            MixedBacklog.Kind k = kind(p);
            Optional<String> unschedulable = unschedulable(p);
            if (p.getSpec().getNodeName() == null
                    && (k.pendingReason == null || !unschedulable.orElse("").contains(k.pendingReason))) {
                wrongReasons.add(p.getMetadata().getName() + ": " + unschedulable.orElse("(no reason)"));
            }
        }
        assertThat(wrongReasons)
                .as("pending pods whose reason does not name what they lack")
                .isEmpty();
        Map<MixedBacklog.Kind, Long> bound = pods.stream()
                .filter(p -> p.getSpec().getNodeName() != null)
                .collect(Collectors.groupingBy(MixedBacklogAuditIT::kind, Collectors.counting()));
        assertThat(bound)
                .as(
                        "bound pods per kind: all plain ones; GPUs (9), port 9000 (one per node, 20) and CSI "
                                + "attachments (20) used to their supply; %s",
                        counts(pods))
                .containsEntry(MixedBacklog.Kind.PLAIN, (long) MixedBacklog.Kind.PLAIN.count)
                .containsEntry(MixedBacklog.Kind.GPU, 9L)
                .containsEntry(MixedBacklog.Kind.PORT, (long) MixedBacklog.NODES)
                .containsEntry(MixedBacklog.Kind.PVC, 20L);
        assertThat(bound.getOrDefault(MixedBacklog.Kind.BIG, 0L))
                .as("big pods bound: at least one, at most one per big node (2 × 10 cores > 16)")
                .isBetween(1L, 4L);
    }

    private static boolean settled(List<Pod> pods) {
        return pods.size() == MixedBacklog.total()
                && pods.stream()
                        .allMatch(p -> p.getSpec().getNodeName() != null
                                || unschedulable(p).isPresent());
    }

    /** The PodScheduled=False message, if the scheduler marked the pod unschedulable. */
    private static Optional<String> unschedulable(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                return Optional.of(c.getMessage() == null ? "" : c.getMessage());
            }
        }
        return Optional.empty();
    }

    private static MixedBacklog.Kind kind(Pod p) {
        return MixedBacklog.Kind.valueOf(
                p.getMetadata().getLabels().get(MixedBacklog.KIND).toUpperCase(Locale.ROOT));
    }

    private static String counts(List<Pod> pods) {
        return pods.stream()
                .collect(Collectors.groupingBy(
                        p -> kind(p).label() + (p.getSpec().getNodeName() == null ? " pending" : " bound"),
                        TreeMap::new,
                        Collectors.counting()))
                .toString();
    }

    private static void cleanUp(KubernetesClient admin, String ns) {
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        for (int i = 0; i < CLAIMS; i++) {
            String claim = "vol-" + i;
            admin.persistentVolumeClaims()
                    .inNamespace(ns)
                    .withName(claim)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
            admin.persistentVolumeClaims().inNamespace(ns).withName(claim).delete();
            String pv = MixedBacklog.volumeName(ns, i);
            admin.persistentVolumes()
                    .withName(pv)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
            admin.persistentVolumes().withName(pv).delete();
        }
        MixedBacklog.csiNodes().forEach(c -> admin.resource(c).delete());
        MixedBacklog.nodes().forEach(n -> admin.resource(n).delete());
    }
}
