package io.qshard.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Resources;
import io.qshard.localcluster.fixtures.PodFixture;
import org.junit.jupiter.api.Test;

class LocalPodsTest {
    private static final QshardConfig CONFIG = QshardConfig.defaults();

    @Test
    void eachTiersPodsLandInTheirQosClassWithTheirRequests() {
        LocalPod prod = LocalPods.convert(
                uid(PodFixture.pod("p").tier("prod").cpuMilli(500).memoryMi(256).build()), CONFIG);
        assertThat(prod.qos()).isEqualTo(QosClass.GUARANTEED);
        assertThat(prod.tier()).isEqualTo("prod");
        assertThat(prod.requests()).isEqualTo(new Resources(500, 256L << 20, 1, 0, 0));
        LocalPod mid = LocalPods.convert(
                uid(PodFixture.pod("m").tier("mid").cpuMilli(300).memoryMi(128).build()), CONFIG);
        assertThat(mid.qos()).isEqualTo(QosClass.BURSTABLE);
        LocalPod batch = LocalPods.convert(
                uid(PodFixture.pod("b")
                        .tier("batch")
                        .cpuMilli(1000)
                        .memoryMi(1024)
                        .build()),
                CONFIG);
        assertThat(batch.qos()).as("extended resources do not count for QoS").isEqualTo(QosClass.BESTEFFORT);
        assertThat(batch.requests()).isEqualTo(new Resources(0, 0, 1, 1000, 1L << 30));
        assertThat(batch.priority()).isEqualTo(5000);
        LocalPod foreign = LocalPods.convert(
                uid(PodFixture.pod("f").schedulerName("default-scheduler").build()), CONFIG);
        assertThat(foreign.tier()).isNull();
    }

    @Test
    void theQosClassTheApiserverRecordedWins() {
        Pod p = uid(PodFixture.pod("m").tier("mid").cpuMilli(300).build());
        p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withQosClass("BestEffort")
                .build());
        assertThat(LocalPods.qos(p)).isEqualTo(QosClass.BESTEFFORT);
    }

    private static Pod uid(Pod p) {
        return new PodBuilder(p)
                .editMetadata()
                .withUid("uid-" + p.getMetadata().getName())
                .endMetadata()
                .build();
    }
}
