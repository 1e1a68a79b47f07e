package io.qshard.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Resources;
import io.qshard.localcluster.fixtures.PodFixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    @Test
    void theLargestCpuQuotaTheKubeletGivesOneOfThePodsCgroups() {
        // every container limited: the pod's quota, max(Σ 300 + 200, init 400) = 500
        assertThat(LocalPods.cpuLimitMilli(pod(List.of("300m", "200m"), List.of("400m"), null)))
                .isEqualTo(500);
        // an init container above the sum: max(300, 800) = 800
        assertThat(LocalPods.cpuLimitMilli(pod(List.of("300m"), List.of("800m"), null)))
                .isEqualTo(800);
        // overhead on top of the pod's quota: 300 + 50
        assertThat(LocalPods.cpuLimitMilli(pod(List.of("300m"), List.of(), "50m")))
                .isEqualTo(350);
        // one container unlimited: no pod quota, the largest container's 300
        assertThat(LocalPods.cpuLimitMilli(pod(Arrays.asList("300m", null), List.of(), "50m")))
                .isEqualTo(300);
        assertThat(LocalPods.cpuLimitMilli(pod(Arrays.asList((String) null), List.of(), null)))
                .as("no limit at all")
                .isZero();
        LocalPod mid = LocalPods.convert(
                uid(PodFixture.pod("m")
                        .tier("mid")
                        .cpuMilli(100)
                        .cpuLimitMilli(300)
                        .build()),
                CONFIG);
        assertThat(mid.qos()).isEqualTo(QosClass.BURSTABLE);
        assertThat(mid.cpuLimitMilli()).isEqualTo(300);
    }

    /** A pod with one container per limit ({@code null}: that container has none). */
    private static Pod pod(List<String> limits, List<String> initLimits, String overhead) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withUid("uid-p")
                .endMetadata()
                .withNewSpec()
                .withContainers(containers(limits))
                .withInitContainers(containers(initLimits))
                .withOverhead(overhead == null ? null : Map.of("cpu", new Quantity(overhead)))
                .endSpec()
                .build();
    }

    private static List<Container> containers(List<String> limits) {
        List<Container> out = new ArrayList<>();
        for (String limit : limits) {
            out.add(new ContainerBuilder()
                    .withName("c" + out.size())
                    .withResources(new ResourceRequirementsBuilder()
                            .withRequests(Map.of("cpu", new Quantity("100m")))
                            .withLimits(limit == null ? null : Map.of("cpu", new Quantity(limit)))
                            .build())
                    .build());
        }
        return out;
    }

    private static Pod uid(Pod p) {
        return new PodBuilder(p)
                .editMetadata()
                .withUid("uid-" + p.getMetadata().getName())
                .endMetadata()
                .build();
    }
}
