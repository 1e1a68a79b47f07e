package io.qshard.cli;

import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.process.UserError;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --kubeconfig} flag of every command that talks to a cluster (picocli mixin), resolved as kubectl does. */
final class KubeconfigOption {
    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description =
                    "Cluster to use; default as kubectl: KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    Path kubeconfig;

    /**
     * The cluster: the flag's file, else {@code KUBECONFIG}, {@code ~/.kube/config}, then the in-cluster account.
     *
     * @throws UserError if none applies or the file cannot be read
     */
    KubeconfigResolver.Resolved resolve() {
        return KubeconfigResolver.resolve(kubeconfig);
    }
}
