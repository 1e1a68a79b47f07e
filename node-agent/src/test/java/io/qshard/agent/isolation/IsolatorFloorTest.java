package io.qshard.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.metrics.AgentMetrics;
import io.qshard.agent.sample.NodeSample;
import io.qshard.agent.testing.FakeCgroups;
import io.qshard.core.isolation.IsolationPolicy;
import io.qshard.core.usage.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * cgroup v1 refuses (EINVAL) a parent cfs quota below the quota of any cgroup under it, and a pod whose limit is above
 * its class parent's quota cannot start: the isolator never writes such a quota. cgroup v2 takes the smaller of the
 * two instead, so there the policy's quota is written as it is.
 *
 * <p>Node of 1000m, policy 0.85 / 0.05: peakCap 850m, margin 50m, burstable requests 200m;
 * burstable = max(200, 850 − protected − 50), box = max(0, 850 − protected − burstable usage − 50).
 */
class IsolatorFloorTest {
    private static final IsolationPolicy POLICY = new IsolationPolicy(0.85, 0.05);
    private static final long ALLOCATABLE = 1_000;
    private static final long REQUESTS = 200;
    private static final String UID = "11111111-2222-3333-4444-555555555555";

    /** A quota under a class parent: {@code container} null for the pod's own cgroup. */
    record Quota(QosClass qos, String container, long quotaUs, long periodUs) {}

    /** One case: the usage, the quotas under the parents, the largest limit of a bound burstable pod, the outcome. */
    record Case(
            String name,
            long protectedMilli,
            long burstableUsageMilli,
            List<Quota> below,
            long boundLimitMilli,
            long v1Burstable,
            long v1Besteffort,
            long v2Burstable,
            long v2Besteffort) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Object[]> cases() {
        List<Case> table = List.of(
                // 850 − 600 − 50 = 200 = requests; box 850 − 600 − 100 − 50 = 100
                new Case("no quota below: the policy's", 600, 100, List.of(), 0, 200, 100, 200, 100),
                // mid-c of the IT: limit 300m → the kubelet sets 30000 µs on the pod and its container
                new Case(
                        "a pod's 300m limit above the policy's 200m",
                        600,
                        100,
                        List.of(
                                new Quota(QosClass.BURSTABLE, null, 30_000, 100_000),
                                new Quota(QosClass.BURSTABLE, "ctr", 30_000, 100_000)),
                        0,
                        300,
                        100,
                        200,
                        100),
                // one of two containers limited: no pod quota, the container's 35000 µs binds the parent
                new Case(
                        "a container's quota under a pod without one",
                        600,
                        100,
                        List.of(
                                new Quota(QosClass.BURSTABLE, null, -1, 100_000),
                                new Quota(QosClass.BURSTABLE, "ctr", 35_000, 100_000)),
                        0,
                        350,
                        100,
                        200,
                        100),
                // bound, cgroup not created yet: its 500m limit from the API
                new Case("a bound pod's 500m limit, not started yet", 600, 100, List.of(), 500, 500, 100, 200, 100),
                // 850 − 200 − 50 = 600 > 300; box 850 − 200 − 100 − 50 = 500
                new Case(
                        "the policy's 600m above every quota",
                        200,
                        100,
                        List.of(new Quota(QosClass.BURSTABLE, null, 30_000, 100_000)),
                        300,
                        600,
                        500,
                        600,
                        500),
                // 25001 µs / 100 ms = 250.01m → 251m (25100 µs ≥ 25001 µs)
                new Case(
                        "rounded up to a whole milli-core",
                        600,
                        100,
                        List.of(new Quota(QosClass.BURSTABLE, null, 25_001, 100_000)),
                        0,
                        251,
                        100,
                        200,
                        100),
                // 15000 µs per 50 ms = 300m
                new Case(
                        "a quota at another period",
                        600,
                        100,
                        List.of(new Quota(QosClass.BURSTABLE, null, 15_000, 50_000)),
                        0,
                        300,
                        100,
                        200,
                        100),
                // besteffort pods have no limit; a quota someone else set still binds the box: 100m → 200m
                new Case(
                        "a quota under besteffort",
                        600,
                        100,
                        List.of(new Quota(QosClass.BESTEFFORT, null, 20_000, 100_000)),
                        0,
                        200,
                        200,
                        200,
                        100));
        List<Object[]> out = new ArrayList<>();
        for (Object[] layout : FakeCgroups.layouts()) {
            for (Case c : table) {
                out.add(new Object[] {layout[0], layout[1], c});
            }
        }
        return out;
    }

    @ParameterizedTest(name = "v{0} {1}: {2}")
    @MethodSource("cases")
    void neverBelowAQuotaUnderTheParentOnV1(int version, CgroupDriver driver, Case c, @TempDir Path root) {
        FakeCgroups fake = parents(root, version, driver);
        for (Quota q : c.below()) {
            quota(fake, below(fake, q), q.quotaUs(), q.periodUs());
        }
        AgentMetrics metrics = new AgentMetrics();
        Isolator isolator = new Isolator(fake.io, POLICY, metrics, false);

        Isolator.Quotas quotas = isolator.apply(
                sample(c.protectedMilli(), c.burstableUsageMilli()), ALLOCATABLE, REQUESTS, c.boundLimitMilli());

        Isolator.Quotas expected = version == 1
                ? new Isolator.Quotas(c.v1Burstable(), c.v1Besteffort())
                : new Isolator.Quotas(c.v2Burstable(), c.v2Besteffort());
        assertThat(quotas).isEqualTo(expected);
        assertThat(fake.io.cpuQuotaMilli(fake.layout.classParent(QosClass.BURSTABLE)))
                .isEqualTo(expected.burstable());
        assertThat(fake.io.cpuQuotaMilli(fake.layout.classParent(QosClass.BESTEFFORT)))
                .isEqualTo(expected.besteffort());
        if (version == 1) {
            for (Quota q : c.below()) {
                long parentUs = Long.parseLong(fake.cpuFile(fake.layout.classParent(q.qos()), "cpu.cfs_quota_us"));
                assertThat(parentUs * q.periodUs())
                        .as("the kernel's rule: parent quota/period ≥ child quota/period (%s)", q)
                        .isGreaterThanOrEqualTo(q.quotaUs() * 100_000);
            }
        }
        assertThat(fake.files.writeErrors.sum()).isZero();
    }

    @ParameterizedTest(name = "v1 {0}")
    @MethodSource("v1Drivers")
    void theFloorHoldsWhileTheLimitedPodLivesAndARefusedWriteIsTriedAgain(CgroupDriver driver, @TempDir Path root)
            throws IOException {
        FakeCgroups fake = parents(root, 1, driver);
        String burstable = fake.layout.classParent(QosClass.BURSTABLE);
        String pod = fake.layout.pod(QosClass.BURSTABLE, UID);
        AgentMetrics metrics = new AgentMetrics();
        Isolator isolator = new Isolator(fake.io, POLICY, metrics, false);

        // the 300m pod runs: 300m although the policy says 200m
        quota(fake, pod, 30_000, 100_000);
        assertThat(isolator.apply(sample(600, 100), ALLOCATABLE, REQUESTS, 300).burstable())
                .isEqualTo(300);
        // it ends: its cgroup goes, the bound limit too → the policy's 200m
        deleteTree(root.resolve("cpu").resolve(pod));
        assertThat(isolator.apply(sample(600, 100), ALLOCATABLE, REQUESTS, 0).burstable())
                .isEqualTo(200);
        assertThat(fake.io.cpuQuotaMilli(burstable)).isEqualTo(200);

        // a new 300m pod while the parent's quota file refuses writes: still 200m in force, the write counted
        Path file = root.resolve("cpu").resolve(burstable).resolve("cpu.cfs_quota_us");
        Files.delete(file);
        Files.createDirectory(file);
        assertThat(isolator.apply(sample(600, 100), ALLOCATABLE, REQUESTS, 300).burstable())
                .isEqualTo(200);
        assertThat(fake.files.writeErrors.sum()).isEqualTo(1);
        // the file writable again: the next sample writes 300m, no move of the policy's figure needed
        Files.delete(file);
        FakeCgroups.write(file, "20000");
        assertThat(isolator.apply(sample(600, 100), ALLOCATABLE, REQUESTS, 300).burstable())
                .isEqualTo(300);
        assertThat(fake.cpuFile(burstable, "cpu.cfs_quota_us")).isEqualTo("30000");
    }

    @ParameterizedTest(name = "v1 {0}")
    @MethodSource("v1Drivers")
    void aQuotaHeldAtTheFloorIsWrittenExactlyHoweverSmallTheMove(CgroupDriver driver, @TempDir Path root) {
        FakeCgroups fake = parents(root, 1, driver);
        String burstable = fake.layout.classParent(QosClass.BURSTABLE);
        quota(fake, fake.layout.pod(QosClass.BURSTABLE, UID), 20_500, 100_000);
        Isolator isolator = new Isolator(fake.io, POLICY, new AgentMetrics(), false);
        // 850 − 592 − 50 = 208 ≥ the pod's 205m
        assertThat(isolator.apply(sample(592, 100), ALLOCATABLE, REQUESTS, 0).burstable())
                .isEqualTo(208);
        // max(200, 850 − 700 − 50) = 200 → the floor, 205m: a 3m move, written all the same
        assertThat(isolator.apply(sample(700, 100), ALLOCATABLE, REQUESTS, 0).burstable())
                .isEqualTo(205);
        assertThat(fake.cpuFile(burstable, "cpu.cfs_quota_us")).isEqualTo("20500");
        // back to 208: an ordinary small move, not written
        assertThat(isolator.apply(sample(592, 100), ALLOCATABLE, REQUESTS, 0).burstable())
                .isEqualTo(205);
        assertThat(fake.cpuFile(burstable, "cpu.cfs_quota_us")).isEqualTo("20500");
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void aPodBoundWithAHigherLimitRaisesTheQuotaAtOnceOnV1(int version, CgroupDriver driver, @TempDir Path root) {
        FakeCgroups fake = parents(root, version, driver);
        String burstable = fake.layout.classParent(QosClass.BURSTABLE);
        Isolator isolator = new Isolator(fake.io, POLICY, new AgentMetrics(), false);
        assertThat(isolator.raiseTo(300))
                .as("no quota written yet: nothing to raise")
                .isFalse();
        // max(200, 850 − 600 − 50) = 200
        assertThat(isolator.apply(sample(600, 100), ALLOCATABLE, REQUESTS, 0).burstable())
                .isEqualTo(200);
        assertThat(isolator.raiseTo(150)).as("already above").isFalse();
        assertThat(isolator.raiseTo(300)).isEqualTo(version == 1);
        assertThat(fake.io.cpuQuotaMilli(burstable)).isEqualTo(version == 1 ? 300 : 200);
        // the next sample keeps it while the pod is bound
        assertThat(isolator.apply(sample(600, 100), ALLOCATABLE, REQUESTS, 300).burstable())
                .isEqualTo(version == 1 ? 300 : 200);
    }

    static List<Object[]> layouts() {
        return FakeCgroups.layouts();
    }

    static List<CgroupDriver> v1Drivers() {
        return List.of(CgroupDriver.CGROUPFS, CgroupDriver.SYSTEMD);
    }

    private static NodeSample sample(long protectedMilli, long burstableMilli) {
        return new NodeSample(
                Instant.EPOCH,
                Duration.ofSeconds(1),
                new Usage(protectedMilli + burstableMilli, 0),
                Map.of(QosClass.BURSTABLE, new Usage(burstableMilli, 0), QosClass.BESTEFFORT, Usage.ZERO),
                Map.of());
    }

    private static FakeCgroups parents(Path root, int version, CgroupDriver driver) {
        FakeCgroups fake = new FakeCgroups(root, version, driver);
        fake.create(fake.layout.kubepods());
        fake.create(fake.layout.classParent(QosClass.BURSTABLE));
        fake.create(fake.layout.classParent(QosClass.BESTEFFORT));
        return fake;
    }

    private static String below(FakeCgroups fake, Quota q) {
        String pod = fake.layout.pod(q.qos(), UID);
        return q.container() == null ? pod : pod + "/" + q.container();
    }

    /** Creates the cgroup if needed and sets its quota ({@code -1}: none) and period. */
    private static void quota(FakeCgroups fake, String relative, long quotaUs, long periodUs) {
        fake.create(relative);
        if (fake.version == 1) {
            Path dir = fake.root.resolve("cpu").resolve(relative);
            FakeCgroups.write(dir.resolve("cpu.cfs_quota_us"), Long.toString(quotaUs));
            FakeCgroups.write(dir.resolve("cpu.cfs_period_us"), Long.toString(periodUs));
        } else {
            FakeCgroups.write(
                    fake.root.resolve(relative).resolve("cpu.max"),
                    (quotaUs < 0 ? "max" : Long.toString(quotaUs)) + " " + periodUs);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
