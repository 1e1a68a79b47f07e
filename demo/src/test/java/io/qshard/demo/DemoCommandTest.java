package io.qshard.demo;

import io.qshard.cli.CliRun;
import io.qshard.cli.CliRun.Result;
import io.qshard.kube.process.UserError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The demo given a bad kubeconfig path or an unreachable apiserver fails with exit code 2 and one line
 * saying which and how to fix it. The 15 s bound is the operator-facing requirement (fail fast instead of
 * fabric8's retries), not a performance target; the probe itself gives up after 5 s.
 */
class DemoCommandTest {
    private static final Duration FAIL_FAST = Duration.ofSeconds(15);

    @Test
    void missingKubeconfigFileIsOneLineNamingTheFlag(@TempDir Path dir) {
        Result r = CliRun.run("demo", "--manifests", "../manifests", "--kubeconfig", dir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("error: kubeconfig ").contains("not found (from --kubeconfig)");
    }

    @Test
    void refusedConnectionIsOneLine(@TempDir Path dir) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path kc = kubeconfig(dir, "https://127.0.0.1:" + closedPort);
        Result r = assertTimeoutPreemptively(FAIL_FAST, () -> CliRun.run("demo", "--manifests", "../manifests", "--kubeconfig", kc.toString()));
        assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("error: cannot reach the apiserver at https://127.0.0.1:" + closedPort)
                .contains("refused").contains("check that it is running");
    }

    @Test
    void silentServerTimesOutWithOneLine(@TempDir Path dir) throws IOException {
        // Accepts TCP (kernel backlog) but never speaks TLS: the probe must give up, not hang.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path kc = kubeconfig(dir, "https://127.0.0.1:" + silent.getLocalPort());
            Result r = assertTimeoutPreemptively(FAIL_FAST, () -> CliRun.run("demo", "--manifests", "../manifests", "--kubeconfig", kc.toString()));
            assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
            assertThat(r.errLines()).singleElement().asString().startsWith("error: ").contains("no answer within");
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
