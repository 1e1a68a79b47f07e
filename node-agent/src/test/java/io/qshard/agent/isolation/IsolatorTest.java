package io.qshard.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.CgroupIo;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.metrics.AgentMetrics;
import io.qshard.agent.sample.NodeSample;
import io.qshard.agent.testing.FakeCgroups;
import io.qshard.core.isolation.IsolationPolicy;
import io.qshard.core.usage.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IsolatorTest {
    private static final IsolationPolicy POLICY = new IsolationPolicy(0.85, 0.05);

    static List<Object[]> layouts() {
        return FakeCgroups.layouts();
    }

    private static NodeSample sample(long node, long burstable, long besteffort) {
        return new NodeSample(
                Instant.EPOCH,
                Duration.ofSeconds(1),
                new Usage(node, 0),
                Map.of(QosClass.BURSTABLE, new Usage(burstable, 0), QosClass.BESTEFFORT, new Usage(besteffort, 0)),
                Map.of());
    }

    private static FakeCgroups parents(Path root, int version, CgroupDriver driver) {
        FakeCgroups fake = new FakeCgroups(root, version, driver);
        fake.create(fake.layout.kubepods());
        fake.create(fake.layout.classParent(QosClass.BURSTABLE));
        fake.create(fake.layout.classParent(QosClass.BESTEFFORT));
        return fake;
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void quotasFollowProtectedUsageBothWaysAndAreRestored(int version, CgroupDriver driver, @TempDir Path root) {
        FakeCgroups fake = parents(root, version, driver);
        String burstable = fake.layout.classParent(QosClass.BURSTABLE);
        String besteffort = fake.layout.classParent(QosClass.BESTEFFORT);
        AgentMetrics metrics = new AgentMetrics();
        Isolator isolator = new Isolator(fake.io, POLICY, metrics, false);
        assertThat(fake.cpuFile(besteffort, version == 1 ? "cpu.shares" : "cpu.weight"))
                .isEqualTo(version == 1 ? "2" : "1");

        // 10 cores; node 3000m of which burstable 1000m, besteffort 500m → protected 1500m
        // burstable = max(requests 800, 8500 − 1500 − 500) = 6500; box = 8500 − 1500 − 1000 − 500 = 5500
        assertThat(isolator.apply(sample(3_000, 1_000, 500), 10_000, 800, 0))
                .isEqualTo(new Isolator.Quotas(6_500, 5_500));
        assertThat(fake.io.cpuQuotaMilli(burstable)).isEqualTo(6_500);
        assertThat(fake.io.cpuQuotaMilli(besteffort)).isEqualTo(5_500);

        // protected usage rises to 7000m: burstable = max(800, 8500 − 7000 − 500) = 1000; box = max(0, 8500 − 7000 −
        // 1000 − 500) = 0
        assertThat(isolator.apply(sample(8_500, 1_000, 500), 10_000, 800, 0)).isEqualTo(new Isolator.Quotas(1_000, 0));
        assertThat(fake.io.cpuQuotaMilli(burstable)).isEqualTo(1_000);
        assertThat(fake.io.cpuQuotaMilli(besteffort))
                .as("the kernel's 1 ms / 100 ms minimum")
                .isEqualTo(10);

        // … and falls back: quotas recover
        assertThat(isolator.apply(sample(3_000, 1_000, 500), 10_000, 800, 0))
                .isEqualTo(new Isolator.Quotas(6_500, 5_500));
        assertThat(fake.io.cpuQuotaMilli(burstable)).isEqualTo(6_500);
        long changes = metrics.quotaChanges.sum();

        // a 10m wobble is not written
        isolator.apply(sample(3_010, 1_000, 500), 10_000, 800, 0);
        assertThat(metrics.quotaChanges.sum()).isEqualTo(changes);

        isolator.restore();
        assertThat(fake.io.cpuQuotaMilli(burstable)).isEqualTo(CgroupIo.UNLIMITED);
        assertThat(fake.io.cpuQuotaMilli(besteffort)).isEqualTo(CgroupIo.UNLIMITED);
        assertThat(fake.cpuFile(besteffort, version == 1 ? "cpu.shares" : "cpu.weight"))
                .isEqualTo(version == 1 ? "1024" : "100");
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void dryRunWritesNothing(int version, CgroupDriver driver, @TempDir Path root) {
        FakeCgroups fake = parents(root, version, driver);
        AgentMetrics metrics = new AgentMetrics();
        Isolator isolator = new Isolator(fake.io, POLICY, metrics, true);
        assertThat(isolator.apply(sample(8_500, 1_000, 500), 10_000, 800, 0)).isEqualTo(new Isolator.Quotas(1_000, 0));
        assertThat(fake.io.cpuQuotaMilli(fake.layout.classParent(QosClass.BURSTABLE)))
                .isEqualTo(CgroupIo.UNLIMITED);
        assertThat(fake.io.cpuQuotaMilli(fake.layout.classParent(QosClass.BESTEFFORT)))
                .isEqualTo(CgroupIo.UNLIMITED);
        assertThat(metrics.quotaChanges.sum())
                .as("what it would do is still counted")
                .isEqualTo(2);
        isolator.restore();
        assertThat(fake.files.writeErrors.sum()).isZero();
    }
}
