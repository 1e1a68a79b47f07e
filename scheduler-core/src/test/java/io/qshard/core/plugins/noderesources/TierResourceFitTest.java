package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Fixtures.GI;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.PodRequest;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.snapshot.NodeState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node 10000m / 100Gi, batch advertised 4000m / 20Gi, with a prod pod 6000m/60Gi and a mid pod 1000m/10Gi.
 * Rooms (see NodeRoomTest): prod 3000m/30Gi, mid 1000m/15Gi, batch 1000m/15Gi (pool: 8500−6000−1000−500),
 * free = batch here (no batch/free pods yet).
 */
class TierResourceFitTest {
    private final TierResourceFit fit = new TierResourceFit(new NodeRoom(PoolConfig.defaults()));
    private final NodeState node = node("n", 10_000, 100)
            .batch(4000, 20)
            .state()
            .reserve(pod("p", "prod", 6000, 60).build())
            .reserve(pod("m", "mid", 1000, 10).build());

    @ParameterizedTest(name = "{0} {1}m {2}Gi -> {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                "prod;  3000; 30; ", // exactly the room
                "prod;  3001; 30; Insufficient cpu",
                "prod;  3001; 31; Insufficient cpu|Insufficient memory",
                "mid;   1000; 15; ",
                "mid;   1001;  1; Insufficient cpu (mid pool)",
                "batch; 1000; 15; ",
                "batch; 1001; 16; Insufficient qshard.io/batch-cpu (batch pool)|Insufficient qshard.io/batch-memory (batch pool)",
                "free;   500;  1; ",
                "free;  1001;  1; Insufficient qshard.io/batch-cpu (free pool)",
            })
    void fitsTheTiersRoom(String tier, long cpu, long memGi, String reasons) {
        Status s = fit.filter(new CycleState(), pod("new", tier, cpu, memGi).build(), node);
        assertReasons(s, reasons);
    }

    @ParameterizedTest(name = "pods={0}")
    @CsvSource({"2, true", "3, false"})
    void podSlotsCount(long podsAllowed, boolean fullAfterTwo) {
        NodeState small = node("s", 10_000, 100)
                .pods(podsAllowed)
                .state()
                .reserve(pod("a", "prod", 1, 0).build())
                .reserve(pod("b", "prod", 1, 0).build());
        Status s = fit.filter(new CycleState(), pod("c", "prod", 1, 0).build(), small);
        assertThat(s.reasons().contains("Too many pods")).isEqualTo(fullAfterTwo);
    }

    @Test
    void tooManyPodsComesFirstAsInKubeAndFixedFailuresAreShared() {
        NodeState full = node("s", 10_000, 100)
                .pods(1)
                .state()
                .reserve(pod("a", "prod", 1, 0).build());
        PodRequest big = pod("c", "prod", 20_000, 1).build();
        Status s = fit.filter(new CycleState(), big, full);
        assertThat(s.reasons()).containsExactly("Too many pods", "Insufficient cpu");
        assertThat(fit.filter(new CycleState(), pod("d", "prod", 20_000, 1).build(), full))
                .as("precomputed: no allocation per node")
                .isSameAs(s);
    }

    /**
     * Node "g" 10000m / 100Gi, batch 4000m / 20Gi, allocatable ephemeral-storage 100Gi, nvidia.com/gpu 2,
     * hugepages-2Mi 1Gi, example.com/foo 1, vendor.io/x 1; a prod pod on it holds 1000m/10Gi, 1 GPU and 50Gi of
     * ephemeral-storage. A resource fails when allocatable &lt; request + Σ requests on the node (kube's fitsRequest),
     * in every tier; reasons: cpu/memory first, then ephemeral-storage, then the others by name.
     */
    @ParameterizedTest(name = "{0} {1}m {2}Gi {3} -> {4}")
    @CsvSource(
            delimiter = ';',
            value = {
                "prod;  1000;  1; nvidia.com/gpu=1; ", // 2 ≥ 1 + 1
                "prod;  1000;  1; nvidia.com/gpu=2; Insufficient nvidia.com/gpu", // 2 < 2 + 1
                "batch;  500;  1; nvidia.com/gpu=2; Insufficient nvidia.com/gpu", // the node's GPUs, any tier
                "free;   500;  1; nvidia.com/gpu=1; ",
                "mid;   1000;  1; nvidia.com/gpu=1; ",
                "prod;  1000;  1; ephemeral-storage=50Gi; ", // 100 ≥ 50 + 50
                "prod;  1000;  1; ephemeral-storage=51Gi; Insufficient ephemeral-storage", // 100 < 51 + 50
                "prod;  1000;  1; hugepages-2Mi=1Gi; ", // 1 ≥ 1 + 0
                "prod;  1000;  1; hugepages-2Mi=2Gi; Insufficient hugepages-2Mi", // 1 < 2 + 0
                "prod;  1000;  1; amd.com/gpu=1; Insufficient amd.com/gpu", // absent on the node: 0 < 1 + 0
                "prod;  1000;  1; amd.com/gpu=0; ", // listed 0: 0 < 0 + 0 is false
                "mid;  99999;  1; zz.io/a=1,nvidia.com/gpu=2,ephemeral-storage=60Gi,aa.io/b=1; "
                        + "Insufficient cpu (mid pool)|Insufficient ephemeral-storage|Insufficient aa.io/b"
                        + "|Insufficient nvidia.com/gpu|Insufficient zz.io/a",
            })
    void scalarResourcesFitTheNodesAllocatable(String tier, long cpu, long memGi, String scalars, String reasons) {
        Status s = fit.filter(
                new CycleState(), Pods.withScalars(pod("x", tier, cpu, memGi).build(), parse(scalars)), gpuNode());
        assertReasons(s, reasons);
    }

    /**
     * The same node; the tier ignores example.com/foo by name and the group vendor.io. Only extended resources can be
     * ignored: hugepages-2Mi, though listed, is checked (kube's rule).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "example.com/foo=5; ", // ignored by name (1 < 5)
                "example.com/bar=1; Insufficient example.com/bar", // another name of that group
                "vendor.io/x=5; ", // ignored by group
                "vendor.io/y=5; ", // any name of the group
                "vendor.io.eu/x=1; Insufficient vendor.io.eu/x", // the group is the whole prefix
                "hugepages-2Mi=2Gi; Insufficient hugepages-2Mi", // not an extended resource: never ignored
                "example.com/foo=5,nvidia.com/gpu=2; Insufficient nvidia.com/gpu",
            })
    void ignoredResourcesAndGroupsAreSkipped(String scalars, String reasons) {
        TierResourceFit ignoring = new TierResourceFit(
                new NodeRoom(PoolConfig.defaults()),
                new FitArgs(List.of("example.com/foo", "hugepages-2Mi"), List.of("vendor.io")));
        Status s = ignoring.filter(
                new CycleState(), Pods.withScalars(pod("x", "prod", 1000, 1).build(), parse(scalars)), gpuNode());
        assertReasons(s, reasons);
    }

    /**
     * kube's rule for a node already over its allocatable (pods bound past the scheduler, or allocatable lowered):
     * node "c" 10000m / 100Gi holds a foreign pod of 11000m; node "e" (ephemeral-storage 100Gi) one of 150Gi
     * ephemeral-storage. A pod that requests anything fails there even for a resource it requests 0 of (0 + 11000 &gt;
     * 10000; 0 + 150Gi &gt; 100Gi), as the kubelet's admission would; a pod that requests nothing is checked for its
     * pod slot only. Unrequested cpu/memory are the node's, no pool named.
     */
    @ParameterizedTest(name = "{0}: {1} {2}m {3}Gi {4} -> {5}")
    @CsvSource(
            delimiter = ';',
            value = {
                "c; prod;    0; 1; ; Insufficient cpu",
                "c; prod;    0; 0; ; ", // requests nothing
                "c; prod;    0; 0; example.com/foo=0; Insufficient cpu", // a listed scalar, even 0, is something
                "c; prod;    0; 0; ephemeral-storage=0; ", // kube's ephemeral-storage is a field: 0 is nothing
                "c; mid;     0; 1; ; Insufficient cpu",
                // asks batch-cpu: the kubelet checks native cpu too; the batch pool (8500 − 11000 − 500) is gone as
                // well
                "c; batch; 100; 1; ; Insufficient cpu|Insufficient qshard.io/batch-cpu (batch pool)",
                "e; prod;  100; 1; ; Insufficient ephemeral-storage",
                "e; prod;    0; 0; ; ",
                "e; free;  100; 1; ; Insufficient ephemeral-storage",
            })
    void aNodeOverItsAllocatableFailsEveryPodThatRequestsSomething(
            String which, String tier, long cpu, long memGi, String scalars, String reasons) {
        NodeState over = which.equals("c")
                ? node("c", 10_000, 100)
                        .batch(4000, 20)
                        .state()
                        .reserve(pod("f", "prod", 11_000, 1).foreign().build())
                : NodeState.of(Pods.withScalars(
                                node("e", 10_000, 100).batch(4000, 20).build(), Map.of("ephemeral-storage", 100 * GI)))
                        .reserve(Pods.withScalars(
                                pod("f", "prod", 100, 1).foreign().build(), Map.of("ephemeral-storage", 150 * GI)));
        PodRequest p = Pods.withScalars(pod("x", tier, cpu, memGi).build(), parse(scalars));
        assertReasons(fit.filter(new CycleState(), p, over), reasons);
    }

    private static NodeState gpuNode() {
        Map<String, Long> alloc = Map.of(
                "ephemeral-storage", 100 * GI,
                "nvidia.com/gpu", 2L,
                "hugepages-2Mi", GI,
                "example.com/foo", 1L,
                "vendor.io/x", 1L);
        PodRequest holder = Pods.withScalars(
                pod("h", "prod", 1000, 10).build(), Map.of("nvidia.com/gpu", 1L, "ephemeral-storage", 50 * GI));
        return NodeState.of(
                        Pods.withScalars(node("g", 10_000, 100).batch(4000, 20).build(), alloc))
                .reserve(holder);
    }

    /** "a=1,b=2Gi" → {a: 1, b: 2 GiB}; null → none. */
    private static Map<String, Long> parse(String scalars) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (scalars != null) {
            for (String kv : scalars.split(",")) {
                String[] p = kv.trim().split("=");
                out.put(p[0], p[1].endsWith("Gi") ? Long.parseLong(p[1].replace("Gi", "")) * GI : Long.parseLong(p[1]));
            }
        }
        return out;
    }

    private static void assertReasons(Status s, String reasons) {
        if (reasons == null) {
            assertThat(s).isSameAs(Status.SUCCESS);
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons()).isEqualTo(List.of(reasons.split("\\|")));
            assertThat(s.plugin()).isEqualTo(TierResourceFit.NAME);
        }
    }
}
