package io.qshard.kube.convert;

import io.qshard.core.model.HostPort;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.Resources;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams the resource side of one pod's spec for {@link PodJsonReader}: {@code containers}, {@code initContainers}
 * and {@code overhead} into its effective requests and kube-scheduler's non-zero requests, with host ports, images,
 * and ({@link PodVolumesReader}) volumes, scheduling gates and what scheduling ignores, into {@link PodDetails}.
 *
 * <p>Only {@code resources.requests} is read: the apiserver defaults a container's missing requests from its limits
 * ({@code SetDefaults_Pod}, {@code pkg/apis/core/v1/defaults.go}) whenever it decodes a Pod, so every pod it serves
 * already carries them. For the same reason a {@code hostNetwork} pod's container ports already carry their host ports.
 *
 * <p>Effective requests follow {@code resourcehelper.PodRequests} (Kubernetes 1.29+, restartable sidecars): reqs = Σ
 * containers; for each init container in order, a sidecar ({@code restartPolicy: Always}) adds its requests to reqs
 * and to a running sidecar sum and needs that sum, a regular one needs its requests + the sidecar sum so far; result =
 * max(reqs, max need) + overhead — without sidecars, 1.20's max(Σ containers, max init container) + overhead; pod-level
 * requests ({@code spec.resources}, 1.32+) replace that for cpu, memory and huge pages before the overhead. The
 * non-zero requests are 1.20's {@code calculateResource}: per container cpu/memory, an absent key counting {@value
 * PodDetails#DEFAULT_MILLI_CPU}m / 200Mi and an explicit 0 staying 0, folded with the same rule (newer kube-schedulers
 * apply it to sidecars too: {@code PodRequests} with {@code NonMissingContainerRequests}), plus the overhead. Not
 * thread-safe (one per pod being decoded). Every sum saturates at {@link Long#MAX_VALUE} ({@link Quantities#plus}).
 */
final class PodSpecReader {
    /** Container images, shared by the pods that name them (a pending pod keeps its images). */
    private static final StringCache IMAGES = new StringCache(4096);

    private static final String[] PROTOCOLS = {"TCP", "UDP", "SCTP"};

    private final ResourceAmounts requests = new ResourceAmounts();
    private final ResourceAmounts one = new ResourceAmounts();
    private ResourceAmounts sidecars;
    private ResourceAmounts initNeed;
    private ResourceAmounts overhead;
    private ResourceAmounts podLevel;
    private long nonZeroCpu;
    private long nonZeroMemory;
    private long sidecarCpu;
    private long sidecarMemory;
    private long initCpu;
    private long initMemory;
    private List<HostPort> hostPorts;
    /** The first container's image, then a list when there are more (most pods have one container). */
    private String image;

    private List<String> images;
    private PodVolumesReader more;

    /** Reads {@code containers} ({@code init} false) or {@code initContainers}; the parser is on the array. */
    void containers(JsonParser p, boolean init) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            one.clear();
            boolean sidecar = false;
            int portsBefore = hostPorts == null ? 0 : hostPorts.size();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "resources" -> requests(p);
                    case "restartPolicy" ->
                        sidecar = init && p.currentToken() == JsonToken.VALUE_STRING && StringCache.is(p, "Always");
                    case "image" -> image(p, init);
                    case "ports" -> ports(p);
                    default -> p.skipChildren();
                }
            }
            if (init && !sidecar && hostPorts != null) { // a regular init container's ports are not held
                hostPorts.subList(portsBefore, hostPorts.size()).clear();
            }
            fold(init, sidecar);
        }
    }

    /** Reads {@code overhead}; the parser is on its object. */
    void overhead(JsonParser p) {
        overhead = new ResourceAmounts();
        overhead.read(p);
    }

    /** Reads pod-level {@code spec.resources} (Kubernetes 1.32+); the parser is on its object. */
    void podResources(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            if ("requests".equals(f)) {
                podLevel = new ResourceAmounts();
                podLevel.read(p);
            } else {
                p.skipChildren(); // limits: requests are defaulted from them by the apiserver
            }
        }
    }

    /** Volumes, gates and ignored fields; made for pods that have any. */
    PodVolumesReader more() {
        if (more == null) {
            more = new PodVolumesReader();
        }
        return more;
    }

    /** The effective requests, pods = 1. Call once, after the spec was read. */
    Resources effectiveRequests() {
        if (initNeed != null) {
            requests.max(initNeed);
        }
        if (podLevel != null) {
            requests.override(podLevel);
        }
        if (overhead != null) {
            requests.add(overhead);
        }
        return requests.toResources();
    }

    /**
     * The details, {@link PodDetails#NONE} when there are none; a non-zero request equal to {@code effective} is kept
     * as -1. A bound pod ({@code bound}) keeps no images and nothing ignored: only a pending pod is scored by its images
     * and told what was ignored.
     */
    PodDetails details(String podName, Resources effective, boolean bound) {
        long cpu = podLevel != null && podLevel.hasCpu ? podLevel.milliCpu : Math.max(nonZeroCpu, initCpu);
        long memory =
                podLevel != null && podLevel.hasMemory ? podLevel.memoryBytes : Math.max(nonZeroMemory, initMemory);
        cpu = overhead == null ? cpu : Quantities.plus(cpu, overhead.milliCpu);
        memory = overhead == null ? memory : Quantities.plus(memory, overhead.memoryBytes);
        cpu = cpu == effective.milliCpu() ? -1 : cpu;
        memory = memory == effective.memoryBytes() ? -1 : memory;
        List<String> imgs = bound || image == null ? List.of() : images == null ? List.of(image) : images;
        List<HostPort> ports = hostPorts == null ? List.of() : hostPorts;
        if (cpu == -1 && memory == -1 && ports.isEmpty() && imgs.isEmpty() && (more == null || more.isEmpty(bound))) {
            return PodDetails.NONE;
        }
        return new PodDetails(
                cpu,
                memory,
                ports,
                more == null ? List.of() : more.volumes(podName),
                imgs,
                more == null ? List.of() : more.gates(),
                more == null || bound ? List.of() : more.ignored());
    }

    private void requests(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String g = p.currentName();
            p.nextToken();
            if ("requests".equals(g)) {
                one.read(p);
            } else {
                p.skipChildren(); // limits (already defaulted into requests), claims (see spec.resourceClaims)
            }
        }
    }

    private void image(JsonParser p, boolean init) {
        if (init || p.currentToken() != JsonToken.VALUE_STRING) { // ImageLocality reads containers only
            p.skipChildren();
            return;
        }
        String name = IMAGES.get(p);
        if (image == null) {
            image = name;
            return;
        }
        if (images == null) {
            images = new ArrayList<>(4);
            images.add(image);
        }
        images.add(name);
    }

    /** {@code ports[]} with a {@code hostPort} &gt; 0 (kube-scheduler ignores the others). */
    private void ports(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int port = 0;
            String ip = null;
            String protocol = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "hostPort" -> port = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                    case "hostIP" -> ip = p.getValueAsString();
                    case "protocol" -> protocol = protocol(p);
                    default -> p.skipChildren();
                }
            }
            if (port > 0) {
                if (hostPorts == null) {
                    hostPorts = new ArrayList<>(2);
                }
                hostPorts.add(new HostPort(ip, protocol, port));
            }
        }
    }

    /** The protocol as a shared constant, read without making a String (every port of every pod names one). */
    private static String protocol(JsonParser p) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return p.getValueAsString();
        }
        for (String known : PROTOCOLS) {
            if (StringCache.is(p, known)) {
                return known;
            }
        }
        return p.getString();
    }

    /** Folds the container just read ({@link #one}) into the sums. */
    private void fold(boolean init, boolean sidecar) {
        long cpu = one.hasCpu ? one.milliCpu : PodDetails.DEFAULT_MILLI_CPU;
        long memory = one.hasMemory ? one.memoryBytes : PodDetails.DEFAULT_MEMORY_BYTES;
        if (!init || sidecar) {
            requests.add(one);
            nonZeroCpu = Quantities.plus(nonZeroCpu, cpu);
            nonZeroMemory = Quantities.plus(nonZeroMemory, memory);
        }
        if (!init) {
            return;
        }
        if (initNeed == null) {
            initNeed = new ResourceAmounts();
            sidecars = new ResourceAmounts();
        }
        if (sidecar) {
            sidecars.add(one);
            initNeed.max(sidecars);
            sidecarCpu = Quantities.plus(sidecarCpu, cpu);
            sidecarMemory = Quantities.plus(sidecarMemory, memory);
            initCpu = Math.max(initCpu, sidecarCpu);
            initMemory = Math.max(initMemory, sidecarMemory);
        } else {
            one.add(sidecars);
            initNeed.max(one);
            initCpu = Math.max(initCpu, Quantities.plus(cpu, sidecarCpu));
            initMemory = Math.max(initMemory, Quantities.plus(memory, sidecarMemory));
        }
    }
}
