package io.qshard.cli.parity2;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSchedulingGateBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a {@link PodShape} into an API Pod for one scheduler (or none: bound at create time). Stateless. */
final class ShapePods {
    private static final String IMAGE = "registry.k8s.io/pause:3.9";
    /** The gate a gated shape carries. */
    static final String GATE = "example.com/not-yet";

    private ShapePods() {}

    /**
     * @param ownClaim   the name {@link PodShape#OWN_CLAIM} stands for (null: the shape has none)
     * @param nodeName   spec.nodeName for an existing pod, or null for a probe
     * @param toleration the pinning toleration of a probe, or null
     */
    static Pod build(
            PodShape s,
            String name,
            String namespace,
            String schedulerName,
            String ownClaim,
            String nodeName,
            Toleration toleration) {
        List<Container> inits = new ArrayList<>();
        for (int i = 0; i < s.inits().size(); i++) {
            inits.add(new ContainerBuilder()
                    .withName("init-" + i)
                    .withImage(IMAGE)
                    .withRestartPolicy(i == 0 && s.sidecar() ? "Always" : null)
                    .withPorts(i == 0 ? ports(s.initPorts()) : List.of())
                    .withNewResources()
                    .withRequests(quantities(s.inits().get(i)))
                    .withLimits(quantities(s.inits().get(i)))
                    .endResources()
                    .build());
        }
        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < s.claims().size(); i++) {
            String claim = s.claims().get(i);
            volumes.add(new VolumeBuilder()
                    .withName("vol-" + i)
                    .withNewPersistentVolumeClaim()
                    .withClaimName(PodShape.OWN_CLAIM.equals(claim) ? ownClaim : claim)
                    .endPersistentVolumeClaim()
                    .build());
        }
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Map.of("app", "rp-probe"))
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .withNodeName(nodeName)
                .withRuntimeClassName(s.runtimeClass())
                .withAffinity(affinity(s.nodeTerm()))
                .withSchedulingGates(
                        s.gated()
                                ? List.of(new PodSchedulingGateBuilder()
                                        .withName(GATE)
                                        .build())
                                : List.of())
                .withTolerations(toleration == null ? List.of() : List.of(toleration))
                .withTerminationGracePeriodSeconds(0L)
                .withInitContainers(inits)
                .withContainers(new ContainerBuilder()
                        .withName("main")
                        .withImage(IMAGE)
                        .withPorts(ports(s.ports()))
                        .withNewResources()
                        .withRequests(quantities(s.requests()))
                        .withLimits(quantities(s.requests()))
                        .endResources()
                        .build())
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> m) {
        Map<String, Quantity> q = new LinkedHashMap<>();
        m.forEach((k, v) -> q.put(k, new Quantity(v)));
        return q;
    }

    private static List<ContainerPort> ports(List<PodShape.Port> ports) {
        return ports.stream()
                .map(p -> new ContainerPortBuilder()
                        .withContainerPort(p.port())
                        .withHostPort(p.port())
                        .withHostIP(p.hostIp().isEmpty() ? null : p.hostIp())
                        .withProtocol(p.protocol())
                        .build())
                .toList();
    }

    private static Affinity affinity(PodShape.NodeTerm t) {
        if (t == null) {
            return null;
        }
        NodeSelectorRequirement r = new NodeSelectorRequirementBuilder()
                .withKey(t.key())
                .withOperator("In")
                .withValues(t.value())
                .build();
        return new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .withMatchFields(t.field() ? List.of(r) : List.of())
                .withMatchExpressions(t.field() ? List.of() : List.of(r))
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build();
    }
}
