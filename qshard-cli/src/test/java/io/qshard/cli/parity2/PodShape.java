package io.qshard.cli.parity2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod of a resource parity case asks for, independent of its name, namespace and scheduler ({@link ShapePods}
 * turns it into an API Pod). Every container's limits equal its requests (extended resources and hugepages must).
 * Immutable; the builder-style methods return copies.
 *
 * @param requests     the main container's requests (resource name → quantity)
 * @param inits        the init containers' requests, in order
 * @param sidecar      the first init container asks for {@code restartPolicy: Always} (1.29's sidecar; the 1.20
 *                     apiserver drops the field)
 * @param ports        host ports of the main container
 * @param initPorts    host ports of the first init container
 * @param claims       PVC names mounted as volumes; {@link #OWN_CLAIM} stands for the probe's own claim
 * @param runtimeClass spec.runtimeClassName, or null
 * @param nodeTerm     the one required node affinity term, or null
 * @param gated        carries {@code schedulingGates} (dropped by the 1.20 apiserver)
 */
record PodShape(
        Map<String, String> requests,
        List<Map<String, String>> inits,
        boolean sidecar,
        List<Port> ports,
        List<Port> initPorts,
        List<String> claims,
        String runtimeClass,
        NodeTerm nodeTerm,
        boolean gated) {
    /** Placeholder claim name: the claim a per-probe hook created for this very probe ({@code claim-<probe>}). */
    static final String OWN_CLAIM = "<own>";

    PodShape {
        requests = Map.copyOf(requests);
        inits = List.copyOf(inits);
        ports = List.copyOf(ports);
        initPorts = List.copyOf(initPorts);
        claims = List.copyOf(claims);
    }

    /** A host port: hostIP ("" = all addresses), protocol, port. */
    record Port(String hostIp, String protocol, int port) {}

    /**
     * A required node affinity term with one requirement: {@code matchFields} on {@code metadata.name} when
     * {@code field}, else {@code matchExpressions} on {@code key}; operator In.
     */
    record NodeTerm(boolean field, String key, String value) {}

    /** A pod whose main container requests {@code cores} cpu and 4 GiB memory per core (the nodes' ratio). */
    static PodShape cores(int cores) {
        return of("cpu", Integer.toString(cores), "memory", (4 * cores) + "Gi");
    }

    /** A probe: 2 cores, 8 GiB. */
    static PodShape probe() {
        return cores(2);
    }

    /** An existing pod: 250m, 1 GiB — too small to change the nodes' ranking. */
    static PodShape existing() {
        return of("cpu", "250m", "memory", "1Gi");
    }

    /** A pod whose main container requests these (name, quantity, name, quantity, …). */
    static PodShape of(String... kv) {
        return new PodShape(pairs(kv), List.of(), false, List.of(), List.of(), List.of(), null, null, false);
    }

    /** This shape with extra main-container requests (name, quantity, …). */
    PodShape plus(String... kv) {
        Map<String, String> r = new LinkedHashMap<>(requests);
        r.putAll(pairs(kv));
        return new PodShape(r, inits, sidecar, ports, initPorts, claims, runtimeClass, nodeTerm, gated);
    }

    /** This shape with one more init container requesting these (name, quantity, …). */
    PodShape init(String... kv) {
        List<Map<String, String>> i = new ArrayList<>(inits);
        i.add(pairs(kv));
        return new PodShape(requests, i, sidecar, ports, initPorts, claims, runtimeClass, nodeTerm, gated);
    }

    /** This shape with its first init container marked {@code restartPolicy: Always}. */
    PodShape withSidecar() {
        return new PodShape(requests, inits, true, ports, initPorts, claims, runtimeClass, nodeTerm, gated);
    }

    PodShape hostPort(String hostIp, String protocol, int port) {
        List<Port> p = new ArrayList<>(ports);
        p.add(new Port(hostIp, protocol, port));
        return new PodShape(requests, inits, sidecar, p, initPorts, claims, runtimeClass, nodeTerm, gated);
    }

    PodShape initHostPort(String hostIp, String protocol, int port) {
        List<Port> p = new ArrayList<>(initPorts);
        p.add(new Port(hostIp, protocol, port));
        return new PodShape(requests, inits, sidecar, ports, p, claims, runtimeClass, nodeTerm, gated);
    }

    PodShape claim(String name) {
        List<String> c = new ArrayList<>(claims);
        c.add(name);
        return new PodShape(requests, inits, sidecar, ports, initPorts, c, runtimeClass, nodeTerm, gated);
    }

    PodShape runtimeClass(String name) {
        return new PodShape(requests, inits, sidecar, ports, initPorts, claims, name, nodeTerm, gated);
    }

    /** Required node affinity: {@code matchFields metadata.name In (name)}. */
    PodShape nameField(String name) {
        return new PodShape(
                requests,
                inits,
                sidecar,
                ports,
                initPorts,
                claims,
                runtimeClass,
                new NodeTerm(true, "metadata.name", name),
                gated);
    }

    /** Required node affinity: {@code matchExpressions <key> In (value)}. */
    PodShape labelIn(String key, String value) {
        return new PodShape(
                requests,
                inits,
                sidecar,
                ports,
                initPorts,
                claims,
                runtimeClass,
                new NodeTerm(false, key, value),
                gated);
    }

    PodShape withGates() {
        return new PodShape(requests, inits, sidecar, ports, initPorts, claims, runtimeClass, nodeTerm, true);
    }

    private static Map<String, String> pairs(String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("requests come in name, quantity pairs");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
