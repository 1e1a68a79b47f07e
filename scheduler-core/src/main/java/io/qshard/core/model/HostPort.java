package io.qshard.core.model;

import java.util.Objects;

/**
 * A host port a container asks for ({@code ports[].hostPort} &gt; 0), normalised as kube-scheduler's {@code
 * HostPortInfo}: an empty host IP is the wildcard {@value #WILDCARD}, an empty protocol is {@code TCP}. Two ports
 * conflict when protocol and port are equal and either IP is the wildcard or both IPs are equal. Immutable.
 *
 * @param ip       host IP, {@value #WILDCARD} for all
 * @param protocol TCP, UDP or SCTP
 * @param port     1–65535
 */
public record HostPort(String ip, String protocol, int port) {
    /** The host IP meaning "every address". */
    public static final String WILDCARD = "0.0.0.0";

    public HostPort {
        ip = ip == null || ip.isEmpty() ? WILDCARD : ip;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        Objects.requireNonNull(ip);
    }

    /** Whether this port and {@code other} cannot both be bound on one node. */
    public boolean conflictsWith(HostPort other) {
        return port == other.port
                && protocol.equals(other.protocol)
                && (ip.equals(WILDCARD) || other.ip.equals(WILDCARD) || ip.equals(other.ip));
    }
}
