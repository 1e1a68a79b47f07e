package io.qshard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.cli.CliRun;
import io.qshard.cli.CliRun.Result;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.process.UserError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo given a bad kubeconfig path or an unreachable apiserver fails with exit code 2 and one line
 * saying which and how to fix it. Failing fast (instead of fabric8's retries) is the probe's own bounded timeout
 * ({@link ApiserverConnection#PROBE_TIMEOUT_MS}); the tests check that it gave up and said so, not the wall time.
 */
class DemoCommandTest {
    @Test
    void missingKubeconfigFileIsOneLineNamingTheFlag(@TempDir Path dir) {
        Result r = CliRun.run(
                "demo",
                "--manifests",
                "../manifests",
                "--kubeconfig",
                dir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("error: kubeconfig ")
                .contains("not found (from --kubeconfig)");
    }

    @Test
    void refusedConnectionIsOneLine(@TempDir Path dir) throws IOException {
        // A TCP socket bound to a loopback port but never listening: the kernel answers a SYN to that port with a reset
        // (connection refused), and while the socket stays bound no other socket can bind the port (no SO_REUSEADDR
        // here) and connect() never picks it as a local port. Closing a ServerSocket instead would free the port for
        // anyone to take before the probe connects.
        try (Socket bound = new Socket()) {
            bound.setReuseAddress(false);
            bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = bound.getLocalPort();
            Path kc = kubeconfig(dir, "https://127.0.0.1:" + port);
            Result r = CliRun.run("demo", "--manifests", "../manifests", "--kubeconfig", kc.toString());
            assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
            assertThat(r.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("error: cannot reach the apiserver at https://127.0.0.1:" + port)
                    .contains("refused")
                    .contains("check that it is running");
        }
    }

    @Test
    void silentServerTimesOutWithOneLine(@TempDir Path dir) throws IOException {
        // Accepts TCP (kernel backlog) but never speaks TLS: the probe must give up on its own bounded timeout (the
        // fail-fast guarantee is that timeout in ApiserverConnection), and say so, naming it.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path kc = kubeconfig(dir, "https://127.0.0.1:" + silent.getLocalPort());
            Result r = CliRun.run("demo", "--manifests", "../manifests", "--kubeconfig", kc.toString());
            assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
            long probe = ApiserverConnection.PROBE_TIMEOUT_MS / 1000;
            assertThat(r.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("error: cannot reach the apiserver at https://127.0.0.1:" + silent.getLocalPort())
                    .containsPattern("no answer within (" + probe + "|" + 2 * probe + ") s;");
        }
    }

    @Test
    void nodesOutOfRangeIsAUsageError() {
        Result r = CliRun.run("demo", "--nodes", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--nodes must be between 1 and 5000");
    }

    private static Path kubeconfig(Path dir, String server) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: c
                  context: {cluster: c, user: u}
                current-context: c
                """.formatted(server));
    }
}
