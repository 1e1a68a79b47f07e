package io.qshard.localcluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Renders an admin kubeconfig (server URL, CA bundle, bearer token) for the local control plane. */
final class Kubeconfig {
    static final String CONTEXT = "qshard-local";

    private Kubeconfig() {}

    static String render(String server, String caPem, String token) {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: admin
                  user:
                    token: %4$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: admin
                current-context: %1$s
                """.formatted(CONTEXT, server, ca, token);
    }
}
