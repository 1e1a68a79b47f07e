package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.qshard.core.model.Taint;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConverterTest {
    @Test
    void convertsAllocatableLabelsTaintsAndOversale() {
        Node api = NodeFixture.node("n1")
                .cpu("16")
                .memory("64Gi")
                .batch(8000, 32L << 30)
                .label("zone", "a")
                .taint("dedicated", "gpu", "NoSchedule")
                .unschedulable(true)
                .build();
        // the controller now wants 1.5, but the allocatable the object holds was scaled by 2.0 / 1.25
        api.getMetadata()
                .setAnnotations(Map.of(
                        NodeConverter.CPU_RATIO,
                        "1.5",
                        NodeConverter.MEMORY_RATIO,
                        "1.5",
                        io.qshard.kube.api.OversaleRatio.APPLIED_ANNOTATION,
                        "cpu=2,memory=1.25"));

        io.qshard.core.model.Node n = NodeConverter.convert(api);
        assertThat(n.allocatable().milliCpu()).isEqualTo(16_000);
        assertThat(n.allocatable().batchMilliCpu()).isEqualTo(8000);
        assertThat(n.realAllocatable().milliCpu()).isEqualTo(8000); // 16000 / 2.0
        assertThat(n.realAllocatable().memoryBytes()).isEqualTo((64L << 30) * 4 / 5); // 64Gi / 1.25
        assertThat(n.labels()).containsEntry("zone", "a");
        assertThat(n.taints()).containsExactly(new Taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE));
        assertThat(n.unschedulable()).isTrue();
    }

    @Test
    void withoutAnAppliedRatioAllocatableIsTheRealOne() {
        // ratios wanted but never applied (no webhook, or it was down: failurePolicy Ignore)
        Node api = NodeFixture.node("n1").cpu("4").build();
        api.getMetadata().setAnnotations(Map.of(NodeConverter.CPU_RATIO, "1.5", NodeConverter.MEMORY_RATIO, "1.2"));
        io.qshard.core.model.Node n = NodeConverter.convert(api);
        assertThat(n.realAllocatable()).isEqualTo(n.allocatable());
        // an applied annotation with values outside [1, 3] counts as not scaled
        api.getMetadata()
                .setAnnotations(Map.of(io.qshard.kube.api.OversaleRatio.APPLIED_ANNOTATION, "cpu=0.5,memory=NaN"));
        assertThat(NodeConverter.convert(api).realAllocatable()).isEqualTo(n.allocatable());
    }

    @Test
    void aBadTaintEffectNamesTheNode() {
        Node api = NodeFixture.node("broken").taint("k", "v", "Sometimes").build();
        assertThatThrownBy(() -> NodeConverter.convert(api))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("node broken")
                .hasMessageContaining("unknown taint effect 'Sometimes'");
    }
}
