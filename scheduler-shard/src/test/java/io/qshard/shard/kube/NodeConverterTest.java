package io.qshard.shard.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.qshard.core.model.Taint;
import io.qshard.localcluster.fixtures.NodeFixture;

class NodeConverterTest {
    @Test
    void convertsAllocatableLabelsTaintsAndOversale() {
        Node api = NodeFixture.node("n1").cpu("16").memory("64Gi").batch(8000, 32L << 30).label("zone", "a")
                .taint("dedicated", "gpu", "NoSchedule").unschedulable(true).build();
        api.getMetadata().setAnnotations(Map.of(NodeConverter.CPU_RATIO, "2.0", NodeConverter.MEMORY_RATIO, "1.25"));

        io.qshard.core.model.Node n = NodeConverter.convert(api);
        assertThat(n.allocatable().milliCpu()).isEqualTo(16_000);
        assertThat(n.allocatable().batchMilliCpu()).isEqualTo(8000);
        assertThat(n.realAllocatable().milliCpu()).isEqualTo(8000);                  // 16000 / 2.0
        assertThat(n.realAllocatable().memoryBytes()).isEqualTo((64L << 30) * 4 / 5); // 64Gi / 1.25
        assertThat(n.labels()).containsEntry("zone", "a");
        assertThat(n.taints()).containsExactly(new Taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE));
        assertThat(n.unschedulable()).isTrue();
    }

    @Test
    void ratiosOutsideOneToTenAreIgnored() {
        Node api = NodeFixture.node("n1").cpu("4").build();
        api.getMetadata().setAnnotations(Map.of(NodeConverter.CPU_RATIO, "0.5", NodeConverter.MEMORY_RATIO, "NaN"));
        io.qshard.core.model.Node n = NodeConverter.convert(api);
        assertThat(n.realAllocatable()).isEqualTo(n.allocatable());
    }

    @Test
    void aBadTaintEffectNamesTheNode() {
        Node api = NodeFixture.node("broken").taint("k", "v", "Sometimes").build();
        assertThatThrownBy(() -> NodeConverter.convert(api)).isInstanceOf(ConversionException.class)
                .hasMessageContaining("node broken").hasMessageContaining("unknown taint effect 'Sometimes'");
    }
}
