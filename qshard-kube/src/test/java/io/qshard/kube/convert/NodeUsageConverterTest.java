package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.UsageAmount;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeUsageConverterTest {
    private static NodeUsage report(UsageAmount node, Map<String, UsageAmount> tiers) {
        NodeUsage nu = new NodeUsage();
        nu.setMetadata(new ObjectMetaBuilder().withName("a").build());
        NodeUsageStatus s = new NodeUsageStatus();
        s.setTimestamp("2026-12-07T10:00:00Z");
        s.setWindowSeconds(10);
        s.setNode(node);
        s.setTiers(tiers);
        nu.setStatus(s);
        return nu;
    }

    @Test
    void figuresWithinTheBoundConvert() {
        long bound = 1L << 53;
        var r = NodeUsageConverter.convert(report(new UsageAmount(bound, bound), Map.of()));
        assertThat(r.nodeUsage().milliCpu()).isEqualTo(bound);
    }

    @Test
    void theTopOfTheSchemasRangeIsRefusedNamingTheField() {
        // the report: int64 max, valid for the CRD schema (≥ 0), for the node and for a tier
        assertThatThrownBy(() -> NodeUsageConverter.convert(
                        report(new UsageAmount(Long.MAX_VALUE, 1), Map.of("batch", new UsageAmount(1, 1)))))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("NodeUsage a: status.node.cpuMilli = 9223372036854775807")
                .hasMessageContaining("2^53");
        assertThatThrownBy(() -> NodeUsageConverter.convert(report(
                        new UsageAmount(1, 1), Map.of("batch", new UsageAmount(1, (1L << 53) + 1)))))
                .hasMessageContaining("status.tiers.batch.memoryBytes = 9007199254740993");
    }
}
