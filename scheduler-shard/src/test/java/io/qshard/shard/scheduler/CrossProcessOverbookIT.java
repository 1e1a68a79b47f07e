package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped topology without kubelets: prod, mid, batch and free each in its own {@link SchedulerProcess} (its own
 * client, informers and placement ledger, as four OS processes have), a racing burst of all four tiers, and an
 * independent audit of what a kubelet admits: per node and resource (cpu, memory, pods, {@code qshard.io/batch-cpu},
 * {@code qshard.io/batch-memory}) Σ requests of the pods bound to it ≤ allocatable.
 *
 * <p>Two groups of two nodes, so that every kubelet resource is contended across processes:
 * <ul>
 *   <li>{@code xp-n-*} (native): 1000m / 4Gi, 12 pods; 16 prod + 12 mid pods of 100m / 32Mi → 2800m asked of 2000m
 *       (prod and mid both draw native cpu), 28 pods of 24 slots;</li>
 *   <li>{@code xp-b-*} (batch): 1000m / 4Gi, batch pool 800 / 2Gi advertised, 8 pods; 12 batch + 12 free pods of
 *       150 / 32Mi batch → 3600 asked of 1600 (both draw {@code qshard.io/batch-cpu}), 24 pods of 16 slots.</li>
 * </ul>
 * With node bookings (the protocol; {@code -Dqshard.it.bookings=off} runs the same rounds without them, to see the
 * race) no round may over-allocate, every pod bound carries a booking on its node's Lease, and every round fills
 * exactly what fits — so a scheduler that refuses too much fails as well:
 * <ul>
 *   <li>native: 2 nodes × 1000m / 100m = 20 pods (cpu binds first: 10 pods per node ≤ 12 slots; 20 × 32Mi ≪ 8Gi);</li>
 *   <li>batch: 2 nodes × ⌊800 / 150⌋ = 2 × 5 = 10 pods (750 ≤ 800 batch-cpu per node; 5 ≤ 8 slots).</li>
 * </ul>
 * Rounds 2 and 3 start well within the booking TTL (150 s: the default 120 s volume bind timeout + 30 s) of the
 * previous round's bookings, so they fill the nodes again only because every process saw those pods deleted. A
 * refusal is contention, not a bind error: no process counts a bind error, and a refused pod gets a FailedScheduling
 * Event naming the booking.
 */
@RealControlPlane
class CrossProcessOverbookIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrossProcessOverbookIT.class);
    private static final int ROUNDS = 3;
    private static final String GROUP = "qshard.io/xp-group";
    private static final List<String> TIERS = List.of("prod", "mid", "batch", "free");
    /** Pods that fit the native nodes per round: 2 × 1000m / 100m. */
    private static final long NATIVE_FIT = 2 * (1000 / 100);
    /** Pods that fit the batch nodes per round: 2 × ⌊800 / 150⌋. */
    private static final long BATCH_FIT = 2 * (800 / 150);

    @Test
    void fourProcessesNeverOverAllocateANode(KubernetesClient admin, LocalControlPlane cp) {
        boolean bookings = !"off".equals(System.getProperty("qshard.it.bookings", "on"));
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            nodes.add(node("xp-n-" + i, "n").pods(12).build());
            nodes.add(node("xp-b-" + i, "b").pods(8).batch(800, 2L << 30).build());
        }
        Bulk.create(admin, nodes, 4);
        QshardConfig cfg = QshardConfig.defaults();
        // AUTO: on in a process that runs one tier (as qshard run --tier does by default)
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withNodeBookings(bookings ? SchedulerSettings.BookingMode.AUTO : SchedulerSettings.BookingMode.OFF);
        List<SchedulerProcess> processes = new ArrayList<>();
        List<String> namespaces = new ArrayList<>();
        try {
            for (String tier : TIERS) { // one process per tier, as manifests/scheduler/deployments.yaml deploys them
                processes.add(SchedulerProcess.start(
                        SchedulerITSupport.client(cp, "qshard-it-" + tier),
                        cfg,
                        ShippedPlugins.registry(),
                        List.of(cfg.tier(tier)),
                        settings,
                        Duration.ofSeconds(60),
                        Clock.systemUTC()));
            }
            List<String> over = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                String ns = Namespaces.fresh(admin, "xp" + round);
                namespaces.add(ns);
                long t0 = System.nanoTime();
                String tag = "round " + round + ": ";
                Bulk.create(admin, burst(ns), 16);
                // a refused pod is retried with backoff (up to 10 s): wait for the fill, then for no more change
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> bound(admin, ns, "xp-n-") >= NATIVE_FIT && bound(admin, ns, "xp-b-") >= BATCH_FIT);
                settle(admin, ns);
                List<String> found = overAllocated(admin);
                Map<String, Long> perTier = boundPerTier(admin, ns);
                LOG.info(
                        "round {} (bookings {}): bound per tier {} in {} ms; over-allocated: {}",
                        round,
                        bookings ? "on" : "off",
                        perTier,
                        (System.nanoTime() - t0) / 1_000_000,
                        found.isEmpty() ? "none" : found);
                over.addAll(found.stream().map(f -> tag + f).toList());
                if (bookings) {
                    assertThat(unbooked(admin, ns, settings.bookingNamespace()))
                            .as("pods bound without a booking on their node's Lease")
                            .isEmpty();
                    assertThat(bound(admin, ns, "xp-n-"))
                            .as(tag + "native pods bound")
                            .isEqualTo(NATIVE_FIT);
                    assertThat(bound(admin, ns, "xp-b-"))
                            .as(tag + "batch pods bound")
                            .isEqualTo(BATCH_FIT);
                }
                admin.pods().inNamespace(ns).withGracePeriod(0).delete();
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                admin.pods().inNamespace(ns).list().getItems().isEmpty());
            }
            for (SchedulerProcess p : processes) {
                TierScheduler s = p.schedulers().get(0);
                org.HdrHistogram.Histogram e2e = s.metrics().endToEndHistogram();
                LOG.info(
                        "tier {}: queue-to-bound p50 {} ms, p99 {} ms over {} bindings; bookings {}",
                        s.tier().name(),
                        e2e.getValueAtPercentile(50),
                        e2e.getValueAtPercentile(99),
                        e2e.getTotalCount(),
                        p.bookings().map(b -> b.stats().toString()).orElse("off"));
            }
            assertThat(processes.stream().allMatch(p -> p.bookings().isPresent()))
                    .as("AUTO books in a process of one tier")
                    .isEqualTo(bookings);
            if (bookings) {
                assertThat(processes.stream()
                                .mapToLong(p -> p.schedulers()
                                        .get(0)
                                        .metrics()
                                        .bindErrors
                                        .sum())
                                .sum())
                        .as("refusals are not bind errors")
                        .isZero();
                long refused = processes.stream()
                        .mapToLong(p -> p.bookings().orElseThrow().refused.sum())
                        .sum();
                if (refused > 0) { // contention happened (it does in practice): the refused pods were told why
                    await().atMost(Duration.ofSeconds(30)).until(() -> bookingEvents(admin, namespaces) > 0);
                }
            }
            assertThat(over).as("nodes whose kubelet would refuse a pod").isEmpty();
        } finally {
            processes.forEach(p -> p.stop(Duration.ofSeconds(5)));
            namespaces.forEach(
                    ns -> admin.pods().inNamespace(ns).withGracePeriod(0).delete());
            admin.nodes().withLabel(GROUP).delete();
            for (Node n : nodes) {
                admin.resources(Lease.class)
                        .inNamespace(settings.bookingNamespace())
                        .withName(ApiNodeBookings.leaseName(n.getMetadata().getName()))
                        .delete();
            }
        }
    }

    /** Pods of {@code ns} bound to a node whose name starts with {@code prefix}. */
    private static long bound(KubernetesClient admin, String ns, String prefix) {
        return admin.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null
                        && p.getSpec().getNodeName().startsWith(prefix))
                .count();
    }

    /** FailedScheduling Events in {@code namespaces} that name a node booking. */
    private static long bookingEvents(KubernetesClient admin, List<String> namespaces) {
        long n = 0;
        for (String ns : namespaces) {
            n += admin.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> "FailedScheduling".equals(e.getReason())
                            && e.getMessage() != null
                            && e.getMessage().contains("NodeBooking: node ")
                            && e.getMessage().contains(" is booked up by other scheduler processes"))
                    .count();
        }
        return n;
    }

    /** Pods of {@code ns} bound to a node whose booking Lease (in {@code leases}) has no booking of them. */
    private static List<String> unbooked(KubernetesClient admin, String ns, String leases) {
        List<String> out = new ArrayList<>();
        for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node == null || node.isEmpty()) {
                continue;
            }
            Lease lease = admin.resources(Lease.class)
                    .inNamespace(leases)
                    .withName(ApiNodeBookings.leaseName(node))
                    .get();
            String text = lease == null || lease.getMetadata().getAnnotations() == null
                    ? null
                    : lease.getMetadata().getAnnotations().get(BookingCodec.ANNOTATION);
            boolean booked = BookingCodec.decode(text, why -> {}).stream()
                    .anyMatch(b -> b.uid().equals(p.getMetadata().getUid()));
            if (!booked) {
                out.add(p.getMetadata().getName() + " on " + node);
            }
        }
        return out;
    }

    private static NodeFixture node(String name, String group) {
        return NodeFixture.node(name).cpu("1").memory("4Gi").label(GROUP, group);
    }

    /** The burst, tiers interleaved so that all four processes get pods from the first moment. */
    private static List<Pod> burst(String ns) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            out.add(pod(ns, "prod", i, 100, "n"));
            if (i < 12) {
                out.add(pod(ns, "mid", i, 100, "n"));
                out.add(pod(ns, "batch", i, 150, "b"));
                out.add(pod(ns, "free", i, 150, "b"));
            }
        }
        return out;
    }

    private static Pod pod(String ns, String tier, int i, long milli, String group) {
        return PodFixture.pod(tier + "-" + i)
                .namespace(ns)
                .tier(tier)
                .cpuMilli(milli)
                .memoryMi(32)
                .nodeSelector(GROUP, group)
                .build();
    }

    /** Waits until the bound count has not changed for 5 s (pods that fit nowhere stay pending). */
    private static void settle(KubernetesClient admin, String ns) {
        await().atMost(Duration.ofSeconds(20)).until(() -> SchedulerITSupport.boundIn(admin, ns) > 0);
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .during(Duration.ofSeconds(5))
                .until(() -> {
                    long now = SchedulerITSupport.boundIn(admin, ns);
                    boolean same = now == last[0];
                    last[0] = now;
                    return same;
                });
    }

    /** Per node of this test and kubelet resource, Σ requests bound (read back from the API) over allocatable. */
    private static List<String> overAllocated(KubernetesClient admin) {
        Map<String, Resources> used = new HashMap<>();
        for (Pod p : admin.pods().inAnyNamespace().list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node != null && node.startsWith("xp-")) {
                used.merge(node, SchedulerITSupport.requestsOf(p), Resources::plus);
            }
        }
        List<String> over = new ArrayList<>();
        for (Node n : admin.nodes().withLabel(GROUP).list().getItems()) {
            String name = n.getMetadata().getName();
            Resources a = NodeConverter.convert(n).allocatable();
            Resources u = used.getOrDefault(name, Resources.ZERO);
            check(over, name, "cpu", u.milliCpu(), a.milliCpu());
            check(over, name, "memory", u.memoryBytes(), a.memoryBytes());
            check(over, name, "pods", u.pods(), a.pods());
            check(over, name, "qshard.io/batch-cpu", u.batchMilliCpu(), a.batchMilliCpu());
            check(over, name, "qshard.io/batch-memory", u.batchMemoryBytes(), a.batchMemoryBytes());
        }
        return over;
    }

    private static void check(List<String> over, String node, String resource, long used, long allocatable) {
        if (used > allocatable) {
            over.add(node + " " + resource + " " + used + " > " + allocatable);
        }
    }

    private static Map<String, Long> boundPerTier(KubernetesClient admin, String ns) {
        Map<String, Long> out = new HashMap<>();
        for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
            if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) {
                out.merge(p.getSpec().getSchedulerName().replace("qshard-", ""), 1L, Long::sum);
            }
        }
        return out;
    }
}
