package io.qshard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.cli.CliRun;
import io.qshard.cli.CliRun.Result;
import io.qshard.cli.Main;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.process.UserError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo's options: {@code --prod-peak} is parsed and validated (0 &lt; p ≤ 1); {@code --real-nodes} is parsed and
 * validated, and refused (exit 2, one line) with an external
 * cluster or on a machine that cannot run a kubelet, before anything starts. Given a bad kubeconfig path or an
 * unreachable apiserver the demo fails with exit code 2 and one line saying which and how to fix it. Failing fast (instead of fabric8's retries) is the probe's own bounded timeout
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

    @Test
    void prodPeakDefaultsToAQuarterAndParses() {
        DemoCommand none = new DemoCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.prodPeak).isEqualTo(DemoSettings.DEFAULT_PROD_PEAK).isEqualTo(0.25);
        assertThat(none.replicaHosting).isFalse();
        DemoCommand set = new DemoCommand();
        new CommandLine(set).parseArgs("--prod-peak", "1", "--replica-hosting");
        assertThat(set.prodPeak).isEqualTo(1.0);
        assertThat(set.replicaHosting).isTrue();
    }

    @Test
    void prodPeakOutsideZeroToOneIsAUsageErrorNamingTheFlag() {
        for (String p : new String[] {"0", "-0.1", "1.01", "NaN"}) {
            Result r = CliRun.run("demo", "--prod-peak", p, "--manifests", "../manifests");
            assertThat(r.exit()).as(p).isEqualTo(2);
            assertThat(r.err()).as(p).contains("--prod-peak must be in (0, 1], was ");
        }
    }

    @Test
    void prodPeakThatIsNotANumberIsAUsageError() {
        Result r = CliRun.run("demo", "--prod-peak", "a quarter");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--prod-peak").contains("a quarter");
    }

    @Test
    void realNodesDefaultsToNoneAndParses() {
        DemoCommand none = new DemoCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.realNodes).isZero();
        DemoCommand two = new DemoCommand();
        new CommandLine(two).parseArgs("--real-nodes", "2");
        assertThat(two.realNodes).isEqualTo(2);
    }

    @Test
    void realNodesOutOfRangeIsAUsageErrorNamingTheFlag() {
        for (String n : new String[] {"5", "-1"}) {
            Result r = CliRun.run("demo", "--real-nodes", n, "--manifests", "../manifests");
            assertThat(r.exit()).as(n).isEqualTo(2);
            assertThat(r.err()).as(n).contains("--real-nodes must be between 0 and 4, was " + n);
        }
    }

    @Test
    void realNodesThatAreNotANumberAreAUsageError() {
        Result r = CliRun.run("demo", "--real-nodes", "two");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--real-nodes").contains("two");
    }

    @Test
    void realNodesWithAnExternalClusterAreRefusedBeforeConnecting(@TempDir Path dir) {
        // the kubeconfig does not exist: the refusal must come first, so its message, not the kubeconfig's, is shown
        Result r = CliRun.run(
                "demo",
                "--manifests",
                "../manifests",
                "--real-nodes",
                "1",
                "--kubeconfig",
                dir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("error: --real-nodes needs the local control plane");
    }

    @Test
    void realNodesOnAMachineThatCannotRunAKubeletAreRefusedWithItsReason() {
        AtomicInteger asked = new AtomicInteger();
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("demo-without-kubelets", new DemoCommand(() -> {
            asked.incrementAndGet();
            return Optional.of("kubelet nodes need root (uid 1000)");
        }));
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        int exit = cl.execute("demo-without-kubelets", "--real-nodes", "2", "--manifests", "../manifests");
        assertThat(exit).isEqualTo(UserError.EXIT_CODE);
        assertThat(err.toString().lines().filter(l -> !l.isBlank()))
                .singleElement()
                .asString()
                .isEqualTo("error: --real-nodes 2: this machine cannot run kubelet nodes: kubelet nodes need root "
                        + "(uid 1000)");
        assertThat(asked).hasValue(1);
    }

    @Test
    void theMachineIsAskedOnlyWhenRealNodesAreWanted() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(DemoCommand.realNodesRefusal(0, false, () -> {
                    asked.incrementAndGet();
                    return Optional.of("no");
                }))
                .isEmpty();
        assertThat(DemoCommand.realNodesRefusal(0, true, () -> Optional.of("no")))
                .isEmpty();
        assertThat(asked).hasValue(0);
        assertThat(DemoCommand.realNodesRefusal(3, false, Optional::empty)).isEmpty();
        assertThat(DemoCommand.realNodesRefusal(3, false, () -> Optional.of("no overlayfs")))
                .hasValue("--real-nodes 3: this machine cannot run kubelet nodes: no overlayfs");
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
