package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.HostPort;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.model.PodVolume.Source;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;

/** Requests and {@link PodDetails} decoded from pods as the apiserver serves them ({@code src/test/resources/pods}). */
class PodSpecReaderTest {
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    static String json(String file) {
        try (InputStream in = PodSpecReaderTest.class.getResourceAsStream("/pods/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawPod read(String file) {
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json(file))) {
            p.nextToken();
            return PodJsonReader.read(p);
        }
    }

    @Test
    void everyResourceOfEveryContainerIsDecoded() {
        RawPod pod = read("gpu-ephemeral-hugepages.json");
        assertThat(pod.requests().milliCpu()).isEqualTo(2100); // 2 + 100m
        assertThat(pod.requests().memoryBytes()).isEqualTo(8 * GI + 128 * MI);
        ScalarResources s = pod.requests().scalars();
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.get("ephemeral-storage")).isEqualTo(10 * GI + 500 * MI); // 10Gi + 500Mi = 11261706240
        assertThat(s.get("hugepages-2Mi")).isEqualTo(512 * MI);
        assertThat(s.get("nvidia.com/gpu")).isEqualTo(1);
        PodDetails d = pod.details();
        assertThat(d.nonZeroMilliCpu()).isEqualTo(-1); // every container states cpu and memory: the requests
        assertThat(d.nonZeroMemoryBytes()).isEqualTo(-1);
        assertThat(d.images()).containsExactly("nvcr.io/nvidia/pytorch:24.01-py3", "fluent/fluent-bit:2.2");
        assertThat(d.hostPorts()).isEmpty();
        assertThat(d.volumes()).isEmpty(); // the projected token volume is no scheduling matter
        assertThat(d.ignored()).isEmpty();
    }

    @Test
    void initContainersAreAMaximumAndNonZeroDefaultsApplyPerContainer() {
        RawPod pod = read("init-containers.json");
        // requests: containers 500m + (none) = 500m, 256Mi; init migrate 300m/128Mi/2Gi, warm 200m
        // cpu max(500, 300, 200) = 500; memory max(256Mi, 128Mi, 0) = 256Mi; ephemeral max(0, 2Gi) = 2Gi
        assertThat(pod.requests().milliCpu()).isEqualTo(500);
        assertThat(pod.requests().memoryBytes()).isEqualTo(256 * MI);
        assertThat(pod.requests().scalars().get("ephemeral-storage")).isEqualTo(2 * GI);
        // non-zero: containers app 500m/256Mi + proxy (none) 100m/200Mi = 600m/456Mi; init migrate 300m/128Mi,
        // warm 200m/(none) 200Mi: cpu max(600, 300, 200) = 600, memory max(456Mi, 128Mi, 200Mi) = 456Mi
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(600);
        assertThat(pod.details().nonZeroMemoryBytes()).isEqualTo(456 * MI);
        assertThat(pod.details().images()) // containers only
                .containsExactly("registry.example.com/shop/app:3.1", "envoyproxy/envoy:v1.28.0");
    }

    @Test
    void restartableSidecarsFollowTheKep753Sums() {
        RawPod pod = read("sidecar-1.29.json");
        // reqs = app 1000m/1Gi; istio-init (regular) needs 100m/64Mi; istio-proxy (sidecar) adds 200m/128Mi to reqs
        // and to the sidecar sum, needs 200m/128Mi; log-shipper (sidecar, no requests) adds 0; late-init (regular)
        // needs 1500m + 200m = 1700m, 512Mi + 128Mi = 640Mi. reqs = 1200m/1152Mi.
        // cpu max(1200, 1700) = 1700; memory max(1152Mi, 640Mi) = 1152Mi (1.20's rule would give 1500m/1Gi)
        assertThat(pod.requests().milliCpu()).isEqualTo(1700);
        assertThat(pod.requests().memoryBytes()).isEqualTo(1152 * MI);
        // non-zero: reqs 1000 + 200 + 100 (log-shipper's default) = 1300m, 1Gi + 128Mi + 200Mi = 1352Mi;
        // sidecar sum 300m/328Mi; late-init needs 1500 + 300 = 1800m, 512 + 328 = 840Mi.
        // cpu max(1300, 1800) = 1800; memory max(1352Mi, 840Mi) = 1352Mi
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(1800);
        assertThat(pod.details().nonZeroMemoryBytes()).isEqualTo(1352 * MI);
        // the sidecar's host port is held for the pod's life; the regular init container's 9999 is not
        assertThat(pod.details().hostPorts()).containsExactly(new HostPort("", "TCP", 24224));
        assertThat(pod.details().images()).containsExactly("registry.example.com/shop/checkout:7.4");
    }

    @Test
    void withoutSidecarsTheRuleIsTheOldMaximum() {
        // the same pod with no restartPolicy on its init containers: 1.20's max(Σ containers, max init container)
        String json = json("sidecar-1.29.json").replace(", \"restartPolicy\": \"Always\"}", "}");
        RawPod pod;
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            p.nextToken();
            pod = PodJsonReader.read(p);
        }
        // containers 1000m/1Gi; init max(100, 200, 0, 1500) = 1500m, max(64Mi, 128Mi, 0, 512Mi) = 512Mi
        assertThat(pod.requests().milliCpu()).isEqualTo(1500);
        assertThat(pod.requests().memoryBytes()).isEqualTo(GI);
        // non-zero: containers 1000m/1Gi; init max(100, 200, 100, 1500) = 1500m, max(64, 128, 200, 512)Mi = 512Mi
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(-1); // 1500 = the request
        assertThat(pod.details().nonZeroMemoryBytes()).isEqualTo(-1); // 1Gi = the request
        assertThat(pod.details().hostPorts()).isEmpty(); // no sidecar, no held port
    }

    @Test
    void overheadIsAddedToRequestsAndNonZeroRequests() {
        RawPod pod = read("overhead.json");
        assertThat(pod.requests().milliCpu()).isEqualTo(1250); // 1 + 250m
        assertThat(pod.requests().memoryBytes()).isEqualTo(160 * MI); // no container memory + 160Mi
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(-1); // 1000 + 250 = the request
        assertThat(pod.details().nonZeroMemoryBytes()).isEqualTo(360 * MI); // default 200Mi + 160Mi = 377487360
    }

    @Test
    void hostPortsOfABoundHostNetworkPod() {
        RawPod pod = read("host-ports.json");
        assertThat(pod.nodeName()).isEqualTo("node-17");
        assertThat(pod.details().hostPorts())
                .containsExactly(
                        new HostPort(null, "TCP", 80),
                        new HostPort("10.0.0.5", "UDP", 53),
                        new HostPort("0.0.0.0", "TCP", 10254),
                        new HostPort(HostPort.WILDCARD, "TCP", 8443));
        assertThat(pod.details().images()).isEmpty(); // bound: nothing scores its images any more
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(-1); // 110m, stated
    }

    @Test
    void volumesSchedulingReadsAndTheIgnoredAttachLimits() {
        RawPod pod = read("volumes.json");
        assertThat(pod.details().volumes())
                .containsExactly(
                        PodVolume.claim("data", "data-web-0", false),
                        new PodVolume("cache", Source.EPHEMERAL, "web-0-cache", null, false), // <pod>-<volume>
                        new PodVolume("pd", Source.GCE_PD, null, "web-pd", true),
                        new PodVolume("ebs", Source.AWS_EBS, null, "vol-0abc1234def567890", false),
                        new PodVolume("target", Source.ISCSI, null, "iqn.2001-04.com.example:storage.disk1", true),
                        new PodVolume("ceph", Source.RBD, null, "kube/foo@10.16.154.78:6789,10.16.154.82:6789", false),
                        new PodVolume("secrets", Source.CSI_INLINE, null, "secrets-store.csi.k8s.io", true),
                        PodVolume.claim("claim-ro", "shared-assets", true));
        assertThat(pod.details().hasClaims()).isTrue();
        assertThat(pod.details().ignored())
                .containsExactly(
                        "spec.volumes[pd]: the node's GCE PD attach limit is not enforced",
                        "spec.volumes[ebs]: the node's EBS attach limit is not enforced",
                        "spec.volumes[azure]: the node's Azure disk attach limit is not enforced");
    }

    @Test
    void schedulingGatesAreKept() {
        RawPod pod = read("scheduling-gates-1.26.json");
        assertThat(pod.details().schedulingGates()).containsExactly("example.com/quota", "example.com/approval");
        assertThat(pod.details().gated()).isTrue();
        assertThat(pod.requests().milliCpu()).isEqualTo(2000);
    }

    @Test
    void podLevelResourcesCountAndResourceClaimsAreNamedAsIgnored() {
        RawPod pod = read("dra-pod-resources-1.32.json");
        // the container states no requests; spec.resources.requests (4, 16Gi) replace the aggregate
        assertThat(pod.requests().milliCpu()).isEqualTo(4000);
        assertThat(pod.requests().memoryBytes()).isEqualTo(16 * GI);
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(-1); // the pod-level value, as newer kube-schedulers
        assertThat(pod.details().nonZeroMemoryBytes()).isEqualTo(-1);
        assertThat(pod.details().ignored()).hasSize(1);
        assertThat(pod.details().ignored().get(0)).startsWith("spec.resourceClaims: dynamic resource allocation");
    }

    @Test
    void aBoundCpuMemoryPodCarriesNoDetailsAndNoMap() {
        RawPod pod = read("plain-bound.json");
        assertThat(pod.details()).isSameAs(PodDetails.NONE);
        assertThat(pod.requests().scalars()).isSameAs(ScalarResources.EMPTY);
        assertThat(pod.requests().milliCpu()).isEqualTo(500);
        assertThat(pod.requests().memoryBytes()).isEqualTo(512 * MI);
        // the same pod pending keeps its image for ImageLocality
        RawPod pending;
        try (JsonParser p =
                PodJsonReader.MAPPER.createParser(json("plain-bound.json").replace("\"nodeName\": \"node-3\",", ""))) {
            p.nextToken();
            pending = PodJsonReader.read(p);
        }
        assertThat(pending.details().images()).containsExactly("registry.example.com/shop/api:9.1");
        assertThat(pending.details().nonZeroMilliCpu()).isEqualTo(-1);
    }

    @Test
    void ephemeralStorageBeyondALongSaturatesAndTheSumWithIt() {
        // recorded from a 1.20 apiserver: "ephemeral-storage: 10Ei" is stored capped, as 9223372036854775807
        assertThat(json("ephemeral-10Ei-capped.json")).contains("\"ephemeral-storage\": \"9223372036854775807\"");
        RawPod pod = read("ephemeral-10Ei-capped.json");
        assertThat(pod.requests().scalars().get("ephemeral-storage")).isEqualTo(Long.MAX_VALUE); // + 1Gi: saturated
        assertThat(pod.requests().milliCpu()).isEqualTo(200);
        assertThat(pod.requests().memoryBytes()).isEqualTo(128 * MI);
        // a pod asking that much fits on no node, and says for what
        Resources hugeNode = new Resources(
                1_000_000, 1L << 50, 1000, 0, 0, ScalarResources.of(Map.of("ephemeral-storage", 1L << 60)));
        assertThat(pod.requests().fitsIn(hugeNode)).isFalse();
        assertThat(pod.requests().insufficient(hugeNode)).containsExactly("ephemeral-storage");
        PodRequest converted = new PodConverter(QshardConfig.defaults()).convert(pod);
        assertThat(converted.requests()).isEqualTo(pod.requests());
    }

    @Test
    void cpuAndAnExtendedResourceBeyondALongSaturateThroughInitContainersToo() {
        // recorded from a 1.20 apiserver, which keeps decimal quantities as written: cpu "1e18" (1e21 milli-cores)
        // and example.com/widget "20E" (2e19) in one container, cpu 2 in another, cpu 1 in an init container
        RawPod pod = read("cpu-1e18-widget-20E.json");
        assertThat(pod.requests().milliCpu()).isEqualTo(Long.MAX_VALUE); // max(MAX + 2000, 1000)
        assertThat(pod.requests().memoryBytes()).isEqualTo(128 * MI);
        assertThat(pod.requests().scalars().get("example.com/widget")).isEqualTo(Long.MAX_VALUE);
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(-1); // saturated the same way: the request
        assertThat(pod.details().nonZeroMemoryBytes()).isEqualTo(-1);
        PodRequest converted = new PodConverter(QshardConfig.defaults()).convert(pod);
        assertThat(converted.tier()).isEqualTo("prod");
        assertThat(converted.requests().milliCpu()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void overheadAndSidecarSumsSaturateToo() {
        // the sidecar pod with a sidecar asking 1e18 cores and an overhead on top: every sum stays at the cap
        String json = json("sidecar-1.29.json").replaceFirst("\"cpu\": \"200m\"", "\"cpu\": \"1e18\"");
        assertThat(json).contains("1e18");
        json = json.replace("\"spec\": {", "\"spec\": {\"overhead\": {\"cpu\": \"1e18\"},");
        RawPod pod;
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            p.nextToken();
            pod = PodJsonReader.read(p);
        }
        assertThat(pod.requests().milliCpu()).isEqualTo(Long.MAX_VALUE);
        assertThat(pod.details().nonZeroMilliCpu()).isEqualTo(-1);
        assertThat(pod.requests().memoryBytes()).isEqualTo(1152 * MI); // untouched
    }

    @Test
    void theConverterCarriesTheDetailsIntoThePodRequest() {
        RawPod raw = read("volumes.json");
        PodRequest pod = new PodConverter(QshardConfig.defaults()).convert(raw);
        assertThat(pod.details()).isEqualTo(raw.details());
        assertThat(pod.requests().milliCpu()).isEqualTo(250);
    }
}
