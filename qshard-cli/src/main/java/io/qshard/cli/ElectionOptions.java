package io.qshard.cli;

import picocli.CommandLine.Option;

/**
 * The leader-election flags of the singleton controllers ({@code qshard migrate}, {@code qshard oversale run}), as a
 * picocli mixin: {@code --lease-namespace} and {@code --identity}.
 */
public final class ElectionOptions {
    @Option(
            names = "--lease-namespace",
            paramLabel = "NS",
            defaultValue = "",
            description =
                    "Namespace of the leader-election Lease, so replicas can stand by; empty: act without election "
                            + "(one replica) (default: none; the manifests use qshard-system).")
    String leaseNamespace;

    @Option(
            names = "--identity",
            paramLabel = "NAME",
            defaultValue = "${env:POD_NAME}",
            description = "This replica's identity in the Lease (default: $POD_NAME, else the host name).")
    String identity;

    /** @return the Lease namespace, or null to act without election */
    String leaseNamespaceOrNull() {
        return leaseNamespace == null || leaseNamespace.isBlank() ? null : leaseNamespace;
    }

    /** @return {@code --identity}, else the host name, else {@code qshard-<pid>} */
    String identityOrHostname() {
        if (identity != null && !identity.isBlank()) {
            return identity;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "qshard-" + ProcessHandle.current().pid();
        }
    }
}
