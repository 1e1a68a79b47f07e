package io.qshard.cli.parity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.qshard.localcluster.fixtures.PodFixture;
import java.util.List;
import java.util.function.UnaryOperator;

/** Turns a {@link Shape} into an API Pod for one scheduler (or none: bound at create time). Stateless. */
final class ParityPods {
    private ParityPods() {}

    /**
     * @param namespaces   maps logical namespace names to the case's real namespaces
     * @param owner        the ReplicaSet owner reference for {@link Shape#owned()} pods, or null
     * @param nodeName     spec.nodeName for an existing pod, or null for a probe
     * @param toleration   the pinning toleration of a probe, or null
     */
    static Pod build(
            Shape s,
            String name,
            String schedulerName,
            UnaryOperator<String> namespaces,
            OwnerReference owner,
            String nodeName,
            Toleration toleration) {
        Pod base = PodFixture.pod(name)
                .namespace(namespaces.apply(s.namespace()))
                .tier("prod")
                .schedulerName(schedulerName)
                .cpuMilli(s.milliCpu())
                .memoryMi(s.milliCpu() * 4096 / 1000)
                .build();
        return new PodBuilder(base)
                .editMetadata()
                .withLabels(s.labels())
                .withOwnerReferences(s.owned() && owner != null ? List.of(owner) : List.of())
                .endMetadata()
                .editSpec()
                .withNodeName(nodeName)
                .withNodeSelector(s.nodeSelector().isEmpty() ? null : s.nodeSelector())
                .withAffinity(affinity(s, namespaces))
                .withTopologySpreadConstraints(
                        s.spread().stream().map(ParityPods::spread).toList())
                .withTolerations(toleration == null ? List.of() : List.of(toleration))
                .withTerminationGracePeriodSeconds(30L)
                .endSpec()
                .build();
    }

    private static Affinity affinity(Shape s, UnaryOperator<String> ns) {
        Shape.Affinity a = s.affinity();
        if (a.isEmpty() && s.nodeIn() == null) {
            return null;
        }
        AffinityBuilder b = new AffinityBuilder();
        if (!a.required().isEmpty() || !a.preferred().isEmpty()) {
            b.withNewPodAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(terms(a.required(), ns))
                    .withPreferredDuringSchedulingIgnoredDuringExecution(weighted(a.preferred(), ns))
                    .endPodAffinity();
        }
        if (!a.requiredAnti().isEmpty() || !a.preferredAnti().isEmpty()) {
            b.withNewPodAntiAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(terms(a.requiredAnti(), ns))
                    .withPreferredDuringSchedulingIgnoredDuringExecution(weighted(a.preferredAnti(), ns))
                    .endPodAntiAffinity();
        }
        if (s.nodeIn() != null) {
            b.withNewNodeAffinity()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm()
                    .withMatchExpressions(new NodeSelectorRequirementBuilder()
                            .withKey(s.nodeIn().key())
                            .withOperator("In")
                            .withValues(s.nodeIn().values())
                            .build())
                    .endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity();
        }
        return b.build();
    }

    private static List<PodAffinityTerm> terms(List<Shape.Term> terms, UnaryOperator<String> ns) {
        return terms.stream().map(t -> term(t, ns)).toList();
    }

    private static List<WeightedPodAffinityTerm> weighted(List<Shape.Weighted> terms, UnaryOperator<String> ns) {
        return terms.stream()
                .map(w -> new WeightedPodAffinityTermBuilder()
                        .withWeight(w.weight())
                        .withPodAffinityTerm(term(w.term(), ns))
                        .build())
                .toList();
    }

    private static PodAffinityTerm term(Shape.Term t, UnaryOperator<String> ns) {
        return new PodAffinityTermBuilder()
                .withNewLabelSelector()
                .withMatchLabels(t.matchLabels().isEmpty() ? null : t.matchLabels())
                .withMatchExpressions(t.expressions())
                .endLabelSelector()
                .withTopologyKey(t.topologyKey())
                .withNamespaces(t.namespaces().stream().map(ns).toList())
                .build();
    }

    private static TopologySpreadConstraint spread(Shape.Spread c) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(c.maxSkew())
                .withTopologyKey(c.topologyKey())
                .withWhenUnsatisfiable(c.doNotSchedule() ? "DoNotSchedule" : "ScheduleAnyway")
                .withNewLabelSelector()
                .withMatchLabels(c.matchLabels())
                .endLabelSelector()
                .build();
    }
}
