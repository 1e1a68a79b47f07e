package io.qshard.core.model;

import java.util.List;

/**
 * The parts of a pod's spec that the parity plugins read besides its requests and topology: the non-zero
 * cpu/memory requests kube-scheduler's resource scorers use, host ports, volumes, container images and scheduling
 * gates. Most pods carry {@link #NONE}. Immutable.
 *
 * @param nonZeroMilliCpu    the cpu request aggregated as the effective requests are (Σ containers, max with each init
 *                           container under the 1.29+ sidecar rule, plus overhead), a container without one counted as
 *                           {@value #DEFAULT_MILLI_CPU}m; -1: the same as the pod's request
 * @param nonZeroMemoryBytes the same for memory, default {@value #DEFAULT_MEMORY_BYTES} bytes; -1: the request
 * @param hostPorts          the host ports of its containers (and sidecars), in spec order
 * @param volumes            its volumes that scheduling reads (claims, attachable disks, inline CSI), in spec order
 * @param images             the images of its containers (not init containers), as written in the spec
 * @param schedulingGates    {@code spec.schedulingGates} names (Kubernetes 1.26+); non-empty: not to be scheduled
 * @param ignored            what the pod asks for that qshard does not schedule by, one entry each, naming the field
 *                           ({@code spec.resourceClaims: …}); told to the user in an Event, never silently dropped
 * @param preemptNever       {@code spec.preemptionPolicy: Never}: the pod waits instead of preempting others
 * @param nominatedNode      {@code status.nominatedNodeName}: where a preemption made room for it, or null
 */
public record PodDetails(
        long nonZeroMilliCpu,
        long nonZeroMemoryBytes,
        List<HostPort> hostPorts,
        List<PodVolume> volumes,
        List<String> images,
        List<String> schedulingGates,
        List<String> ignored,
        boolean preemptNever,
        String nominatedNode) {
    /** kube-scheduler's cpu request for a container that states none, milli-cores. */
    public static final long DEFAULT_MILLI_CPU = 100;
    /** kube-scheduler's memory request for a container that states none, bytes (200 MiB). */
    public static final long DEFAULT_MEMORY_BYTES = 200L * 1024 * 1024;

    /** Non-zero requests equal to the requests; no ports, volumes, images or gates. */
    public static final PodDetails NONE = new PodDetails(-1, -1, List.of(), List.of(), List.of(), List.of());

    public PodDetails {
        hostPorts = List.copyOf(hostPorts);
        volumes = List.copyOf(volumes);
        images = List.copyOf(images);
        schedulingGates = List.copyOf(schedulingGates);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
        nominatedNode = nominatedNode == null || nominatedNode.isEmpty() ? null : nominatedNode;
    }

    /** Details without a preemption policy or nomination. */
    public PodDetails(
            long nonZeroMilliCpu,
            long nonZeroMemoryBytes,
            List<HostPort> hostPorts,
            List<PodVolume> volumes,
            List<String> images,
            List<String> schedulingGates,
            List<String> ignored) {
        this(nonZeroMilliCpu, nonZeroMemoryBytes, hostPorts, volumes, images, schedulingGates, ignored, false, null);
    }

    /** Details with nothing ignored. */
    public PodDetails(
            long nonZeroMilliCpu,
            long nonZeroMemoryBytes,
            List<HostPort> hostPorts,
            List<PodVolume> volumes,
            List<String> images,
            List<String> schedulingGates) {
        this(nonZeroMilliCpu, nonZeroMemoryBytes, hostPorts, volumes, images, schedulingGates, List.of());
    }

    /** Whether the pod asks for any host port. */
    public boolean hasHostPorts() {
        return !hostPorts.isEmpty();
    }

    /** Whether any volume goes through a PersistentVolumeClaim. */
    public boolean hasClaims() {
        for (PodVolume v : volumes) {
            if (v.usesClaim()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the pod has scheduling gates left. */
    public boolean gated() {
        return !schedulingGates.isEmpty();
    }

    /** These details without scheduling gates. */
    public PodDetails withoutGates() {
        return gated()
                ? new PodDetails(
                        nonZeroMilliCpu,
                        nonZeroMemoryBytes,
                        hostPorts,
                        volumes,
                        images,
                        List.of(),
                        ignored,
                        preemptNever,
                        nominatedNode)
                : this;
    }

    /** These details with {@code spec.preemptionPolicy: Never} ({@code never}) and the nominated node (or null). */
    public PodDetails withPreemption(boolean never, String nominated) {
        String n = nominated == null || nominated.isEmpty() ? null : nominated;
        if (never == preemptNever && java.util.Objects.equals(n, nominatedNode)) {
            return this; // NONE stays shared
        }
        return new PodDetails(
                nonZeroMilliCpu,
                nonZeroMemoryBytes,
                hostPorts,
                volumes,
                images,
                schedulingGates,
                ignored,
                never,
                nominated);
    }
}
