package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.model.Taint;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.io.IOException;
import java.io.InputStream;
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
        // 64Gi / 1.25 = 54975581388.8, to the nearest byte
        assertThat(n.realAllocatable().memoryBytes()).isEqualTo(54_975_581_389L);
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
    void anAllocatableOtherThanTheRecordedScaledValueIsTheRealOne() {
        // a kubelet heartbeat the webhook missed (failurePolicy Ignore) stored the real 15900m; the record still says
        // the webhook left 23850m scaled by 1.5
        Node api = NodeFixture.node("n1").cpu("15900m").memory("64Gi").build();
        api.getMetadata()
                .setAnnotations(Map.of(
                        OversaleRatio.APPLIED_ANNOTATION,
                        "cpu=1.5,memory=1.25",
                        OversaleRatio.SCALED_ANNOTATION,
                        "cpu=23850m,memory=" + (64L << 30)));
        io.qshard.core.model.Node n = NodeConverter.convert(api);
        assertThat(n.realAllocatable().milliCpu()).as("not 15900 / 1.5").isEqualTo(15_900);
        assertThat(n.realAllocatable().memoryBytes())
                .as("the recorded value: divided")
                .isEqualTo(54_975_581_389L);
        // the webhook's record of what it wrote: divided
        api.getStatus().getAllocatable().put("cpu", new Quantity("23850m"));
        assertThat(NodeConverter.convert(api).realAllocatable().milliCpu()).isEqualTo(15_900);
        // a record from before the scaled value was recorded: the applied ratio is trusted, as it was
        api.getMetadata().setAnnotations(Map.of(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5"));
        assertThat(NodeConverter.convert(api).realAllocatable().milliCpu()).isEqualTo(15_900);
    }

    @Test
    void theRealValueIsRoundedToTheNearestUnitAsTheWebhookRecoversIt() {
        // the cap cut 15890m × 1.5 to 22500m; the webhook recorded 22500 / 15890 — truncating gave 15889
        Node api = NodeFixture.node("n1").cpu("22500m").build();
        api.getMetadata()
                .setAnnotations(Map.of(
                        OversaleRatio.APPLIED_ANNOTATION,
                        OversaleRatio.appliedText(22_500.0 / 15_890, 1),
                        OversaleRatio.SCALED_ANNOTATION,
                        "cpu=22500m"));
        assertThat(NodeConverter.convert(api).realAllocatable().milliCpu()).isEqualTo(15_890);
    }

    @Test
    void aBadTaintEffectNamesTheNode() {
        Node api = NodeFixture.node("broken").taint("k", "v", "Sometimes").build();
        assertThatThrownBy(() -> NodeConverter.convert(api))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("node broken")
                .hasMessageContaining("unknown taint effect 'Sometimes'");
    }

    private static Node recorded(String file) throws IOException {
        try (InputStream in = NodeConverterTest.class.getResourceAsStream("/nodes/" + file)) {
            return new KubernetesSerialization().unmarshal(in, Node.class);
        }
    }

    @Test
    void everyScalarResourceOfAllocatableIsKept() throws IOException {
        io.qshard.core.model.Node n = NodeConverter.convert(recorded("gpu-node.json"));
        assertThat(n.allocatable().milliCpu()).isEqualTo(7910);
        assertThat(n.allocatable().memoryBytes()).isEqualTo(60569968L * 1024); // 60569968Ki
        assertThat(n.allocatable().pods()).isEqualTo(58);
        ScalarResources s = n.allocatable().scalars();
        assertThat(s.size()).isEqualTo(5); // cpu, memory and pods have fields of their own
        assertThat(s.get("nvidia.com/gpu")).isEqualTo(1);
        assertThat(s.get("ephemeral-storage")).isEqualTo(95551679124L);
        assertThat(s.get("hugepages-2Mi")).isEqualTo(1L << 30);
        assertThat(s.has("hugepages-1Gi")).isTrue(); // listed with 0, as the node reports it
        assertThat(s.get("attachable-volumes-aws-ebs")).isEqualTo(39);
        assertThat(n.realAllocatable().scalars()).isEqualTo(s); // oversale scales cpu and memory only
    }

    @Test
    void withoutAllocatableTheCapacityScalarsCount() throws IOException {
        Node api = recorded("gpu-node.json");
        api.getStatus().setAllocatable(null);
        ScalarResources s = NodeConverter.convert(api).allocatable().scalars();
        assertThat(s.get("ephemeral-storage")).isEqualTo(104845292L * 1024); // capacity 104845292Ki
        assertThat(s.get("nvidia.com/gpu")).isEqualTo(1);
    }

    @Test
    void imagesAreKeyedByEveryReportedNameAsKubeScheduler120KeysThem() throws IOException {
        io.qshard.core.model.Node n = NodeConverter.convert(recorded("gpu-node.json"));
        assertThat(n.images())
                .containsOnly(
                        Map.entry("nvcr.io/nvidia/pytorch@sha256:6f1b3a8c2d", 9876543210L),
                        Map.entry("nvcr.io/nvidia/pytorch:24.01-py3", 9876543210L),
                        Map.entry("docker.io/library/nginx@sha256:10d1f5b58f", 67251311L),
                        Map.entry("docker.io/library/nginx:1.25", 67251311L),
                        // no tag after the last '/': kept as reported; only the pod's image gets ":latest" (1.20's
                        // normalizedImageName is applied to container.Image, not to node status names)
                        Map.entry("registry.local:5000/tools/probe", 1048576L),
                        Map.entry("registry.k8s.io/pause:3.9", 321520L));
        assertThat(NodeConverter.convert(NodeFixture.node("bare").build()).images())
                .isEmpty();
    }

    @Test
    void nodesReportingTheSameImagesShareOneCopy() throws IOException {
        io.qshard.core.model.Node a = NodeConverter.convert(recorded("gpu-node.json"));
        Node other = recorded("gpu-node.json"); // a fresh decode: equal strings, distinct instances
        other.getMetadata().setName("ip-10-0-3-18.ec2.internal");
        io.qshard.core.model.Node b = NodeConverter.convert(other);
        assertThat(b.images()).isSameAs(a.images()); // the same map
        String name = "docker.io/library/nginx:1.25";
        String keyA =
                a.images().keySet().stream().filter(name::equals).findFirst().orElseThrow();
        other.getStatus().getImages().remove(3); // a different image set: its own map, shared names
        io.qshard.core.model.Node c = NodeConverter.convert(other);
        assertThat(c.images()).isNotSameAs(a.images()).hasSize(5);
        String keyC =
                c.images().keySet().stream().filter(name::equals).findFirst().orElseThrow();
        assertThat(keyC).isSameAs(keyA);
    }

    @Test
    void aFigureBeyondTwoToThe53IsRefusedNamingTheNodeAndField() {
        // 2^53 milli-cores = 9,007,199,254,740.992 cores: "9007199254741" cores is just above, "9007199254740" below
        Node above = NodeFixture.node("huge").cpu("9007199254741").memory("1Gi").build();
        assertThatThrownBy(() -> NodeConverter.convert(above))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("node huge: status.allocatable.cpu = 9007199254741")
                .hasMessageContaining("2^53");
        Node below = NodeFixture.node("big").cpu("9007199254740").memory("1Gi").build();
        assertThat(NodeConverter.convert(below).allocatable().milliCpu()).isEqualTo(9_007_199_254_740_000L);
        // the top of the quantity range (what the apiserver serves for 10Ei) in bytes of memory
        Node top =
                NodeFixture.node("top").cpu("4").memory("9223372036854775807").build();
        assertThatThrownBy(() -> NodeConverter.convert(top)).hasMessageContaining("status.allocatable.memory");
    }

    @Test
    void aNodeWithNeitherAllocatableNorCapacityHoldsNothing() {
        Node api = new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName("bare")
                .endMetadata()
                .build();
        io.qshard.core.model.Node n = NodeConverter.convert(api);
        // kube-scheduler 1.20: no allocatable pods → "Too many pods" even for a pod without requests
        assertThat(n.allocatable().pods()).isZero();
        assertThat(n.allocatable().milliCpu()).isZero();
        // with cpu and memory but no pods entry, the kubelet default stands
        Node noPods = NodeFixture.node("n").cpu("1").pods(7).build();
        noPods.getStatus().getAllocatable().remove("pods");
        noPods.getStatus().getCapacity().remove("pods");
        assertThat(NodeConverter.convert(noPods).allocatable().pods()).isEqualTo(NodeConverter.DEFAULT_PODS);
    }
}
