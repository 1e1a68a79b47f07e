package io.qshard.kube.convert;

import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A mutable resource list for {@link PodSpecReader}'s arithmetic over containers: cpu (milli-cores), memory (bytes),
 * qshard's batch pair, and every {@link ResourceNames#isScalar scalar} resource in a map made only when one appears,
 * so a cpu/memory pod allocates none. Whether cpu and memory were stated at all is kept for kube-scheduler's non-zero
 * defaults. Other names ({@code pods}, unprefixed names that are not resources of a container) are skipped, as
 * kube-scheduler's {@code Resource.Add} does. Sums saturate at {@link Long#MAX_VALUE} ({@link Quantities#plus}), as
 * the quantities themselves do. Not thread-safe.
 */
final class ResourceAmounts {
    long milliCpu;
    long memoryBytes;
    long batchMilliCpu;
    long batchMemoryBytes;
    /** Whether a cpu / memory entry was read (an explicit 0 counts). */
    boolean hasCpu;

    boolean hasMemory;
    private Map<String, Long> scalars;

    /** Adds the quantities of the resource list object the parser is on (a container's requests, the overhead). */
    void read(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("resource " + name + ": expected a quantity, found " + t);
            }
            switch (name) {
                case ResourceNames.CPU -> {
                    milliCpu = Quantities.plus(milliCpu, quantity(p, true));
                    hasCpu = true;
                }
                case ResourceNames.MEMORY -> {
                    memoryBytes = Quantities.plus(memoryBytes, quantity(p, false));
                    hasMemory = true;
                }
                case ResourceNames.BATCH_CPU -> batchMilliCpu = Quantities.plus(batchMilliCpu, quantity(p, false));
                case ResourceNames.BATCH_MEMORY ->
                    batchMemoryBytes = Quantities.plus(batchMemoryBytes, quantity(p, false));
                default -> {
                    if (ResourceNames.isScalar(name)) {
                        addScalar(name, quantity(p, false));
                    }
                }
            }
        }
    }

    /** The quantity the parser is on, in milli-units or base units; a string is read from the parser's buffer. */
    private static long quantity(JsonParser p, boolean milli) {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            char[] c = p.getStringCharacters();
            int off = p.getStringOffset();
            int len = p.getStringLength();
            return milli ? Quantities.milli(c, off, len) : Quantities.value(c, off, len);
        }
        String value = p.getValueAsString();
        return milli ? Quantities.milli(value) : Quantities.value(value);
    }

    void clear() {
        milliCpu = 0;
        memoryBytes = 0;
        batchMilliCpu = 0;
        batchMemoryBytes = 0;
        hasCpu = false;
        hasMemory = false;
        if (scalars != null) {
            scalars.clear();
        }
    }

    /** this += o, saturating. */
    void add(ResourceAmounts o) {
        milliCpu = Quantities.plus(milliCpu, o.milliCpu);
        memoryBytes = Quantities.plus(memoryBytes, o.memoryBytes);
        batchMilliCpu = Quantities.plus(batchMilliCpu, o.batchMilliCpu);
        batchMemoryBytes = Quantities.plus(batchMemoryBytes, o.batchMemoryBytes);
        if (o.scalars != null) {
            o.scalars.forEach(this::addScalar);
        }
    }

    /** this = max(this, o), per resource (kube's {@code maxResourceList}: a name on either side is kept). */
    void max(ResourceAmounts o) {
        milliCpu = Math.max(milliCpu, o.milliCpu);
        memoryBytes = Math.max(memoryBytes, o.memoryBytes);
        batchMilliCpu = Math.max(batchMilliCpu, o.batchMilliCpu);
        batchMemoryBytes = Math.max(batchMemoryBytes, o.batchMemoryBytes);
        if (o.scalars != null && !o.scalars.isEmpty()) {
            if (scalars == null) {
                scalars = new HashMap<>();
            }
            o.scalars.forEach((k, v) -> scalars.merge(k, v, Math::max));
        }
    }

    /**
     * Pod-level requests ({@code spec.resources.requests}, Kubernetes 1.32+) replace the containers' aggregate for the
     * resources they state that kube supports at pod level: cpu, memory, {@code hugepages-*} ({@code
     * applyPodLevelResources}).
     */
    void override(ResourceAmounts podLevel) {
        if (podLevel.hasCpu) {
            milliCpu = podLevel.milliCpu;
        }
        if (podLevel.hasMemory) {
            memoryBytes = podLevel.memoryBytes;
        }
        if (podLevel.scalars != null) {
            podLevel.scalars.forEach((k, v) -> {
                if (k.startsWith(ResourceNames.HUGEPAGES_PREFIX)) {
                    if (scalars == null) {
                        scalars = new HashMap<>();
                    }
                    scalars.put(k, v);
                }
            });
        }
    }

    /** As core {@link Resources}, one pod slot. */
    Resources toResources() {
        return new Resources(
                milliCpu,
                memoryBytes,
                1,
                batchMilliCpu,
                batchMemoryBytes,
                scalars == null || scalars.isEmpty() ? ScalarResources.EMPTY : ScalarResources.of(scalars));
    }

    private void addScalar(String name, long amount) {
        if (scalars == null) {
            scalars = new HashMap<>();
        }
        scalars.merge(name, amount, Quantities::plus);
    }
}
