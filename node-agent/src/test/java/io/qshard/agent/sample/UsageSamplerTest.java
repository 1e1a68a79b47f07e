package io.qshard.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.testing.FakeCgroups;
import io.qshard.agent.testing.StepClock;
import io.qshard.core.usage.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UsageSamplerTest {
    private static final String G = "aaaaaaaa-0000-0000-0000-000000000001";
    private static final String B = "aaaaaaaa-0000-0000-0000-000000000002";
    private static final String E = "aaaaaaaa-0000-0000-0000-000000000003";

    static List<Object[]> layouts() {
        return FakeCgroups.layouts();
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void ratesComeFromCounterDeltasOverTheWindow(int version, CgroupDriver driver, @TempDir Path dir) {
        FakeCgroups fake = new FakeCgroups(dir.resolve("cg"), version, driver);
        var l = fake.layout;
        for (String cg : List.of(
                l.kubepods(),
                l.classParent(QosClass.BURSTABLE),
                l.classParent(QosClass.BESTEFFORT),
                l.pod(QosClass.GUARANTEED, G),
                l.pod(QosClass.BURSTABLE, B),
                l.pod(QosClass.BESTEFFORT, E))) {
            fake.create(cg);
        }
        StepClock clock = new StepClock(Instant.parse("2026-12-01T00:00:00Z"));
        UsageSampler sampler = new UsageSampler(
                fake.io, new ProcStats(dir.resolve("proc"), fake.files), UsageSampler.NodeSource.KUBEPODS, clock);
        assertThat(sampler.sample())
                .as("the first call only primes the counters")
                .isNull();

        // 2 s later: guaranteed pod used 3 cpu-seconds (1500m), burstable 1 s (500m), besteffort 0.4 s (200m)
        clock.advance(Duration.ofSeconds(2));
        fake.set(l.pod(QosClass.GUARANTEED, G), 3_000_000_000L, 1L << 30, 0);
        fake.set(l.pod(QosClass.BURSTABLE, B), 1_000_000_000L, 512L << 20, 0);
        fake.set(l.pod(QosClass.BESTEFFORT, E), 400_000_000L, 256L << 20, 0);
        fake.set(l.classParent(QosClass.BURSTABLE), 1_000_000_000L, 512L << 20, 0);
        fake.set(l.classParent(QosClass.BESTEFFORT), 400_000_000L, 256L << 20, 0);
        fake.set(l.kubepods(), 4_400_000_000L, 1792L << 20, 0);
        NodeSample s = sampler.sample();

        assertThat(s.window()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.pods())
                .containsEntry(G, new Usage(1_500, 1L << 30))
                .containsEntry(B, new Usage(500, 512L << 20))
                .containsEntry(E, new Usage(200, 256L << 20));
        assertThat(s.of(QosClass.BURSTABLE).milliCpu()).isEqualTo(500);
        assertThat(s.of(QosClass.BESTEFFORT).milliCpu()).isEqualTo(200);
        // guaranteed = kubepods 2200m − burstable 500m − besteffort 200m
        assertThat(s.of(QosClass.GUARANTEED).milliCpu()).isEqualTo(1_500);
        assertThat(s.node().milliCpu()).as("node from kubepods").isEqualTo(2_200);
        assertThat(s.protectedCpuMilli()).isEqualTo(1_500);

        // a counter that went backwards (re-created cgroup) gives no rate for that pod this time
        clock.advance(Duration.ofSeconds(1));
        fake.set(l.pod(QosClass.BESTEFFORT, E), 10_000_000L, 256L << 20, 0);
        assertThat(sampler.sample().pods()).doesNotContainKey(E);
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void nodeUsageFromProc(int version, CgroupDriver driver, @TempDir Path dir) {
        FakeCgroups fake = new FakeCgroups(dir.resolve("cg"), version, driver);
        fake.create(fake.layout.kubepods());
        Path proc = dir.resolve("proc");
        FakeCgroups.write(
                proc.resolve("meminfo"), "MemTotal:       16000000 kB\nMemFree: 1 kB\nMemAvailable:   12000000 kB\n");
        // user nice system idle iowait irq softirq steal
        FakeCgroups.write(proc.resolve("stat"), "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1\ncpu1 1\ncpu2 1\ncpu3 1\n");
        StepClock clock = new StepClock(Instant.parse("2026-12-01T00:00:00Z"));
        UsageSampler sampler =
                new UsageSampler(fake.io, new ProcStats(proc, fake.files), UsageSampler.NodeSource.PROC, clock);
        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        // +300 busy of +400 total on 4 cpus = 75 % of 4 cores = 3000m
        FakeCgroups.write(proc.resolve("stat"), "cpu  300 0 200 900 0 0 0 0 0 0\ncpu0 1\ncpu1 1\ncpu2 1\ncpu3 1\n");
        NodeSample s = sampler.sample();
        assertThat(s.node().milliCpu()).isEqualTo(3_000);
        assertThat(s.node().memoryBytes()).as("MemTotal − MemAvailable").isEqualTo(4_000_000L * 1024);
    }
}
