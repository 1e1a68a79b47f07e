package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.kube.process.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qshard simulate}'s flags fail fast, with one line naming the flag, before any connection is made. */
class SimulateCommandTest {

    private static void assertUserError(String expected, String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.exit()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("error: ")
                .contains(expected);
    }

    @Test
    void badFlagsAreOneLineErrors(@TempDir Path dir) {
        assertUserError("--interval must be at least 1s", "simulate", "--interval", "0s");
        assertUserError("utilisation must be LOW,HIGH", "simulate", "--utilisation", "lots");
        assertUserError("utilisation low must be in [0, high]", "simulate", "--utilisation", "0.8,0.2");
        assertUserError(
                "--traces " + dir.resolve("none") + " is not a directory",
                "simulate",
                "--traces",
                dir.resolve("none").toString());
        assertUserError("--traces " + dir + " holds no *.csv file", "simulate", "--traces", dir.toString());
        assertUserError("--node-selector must be KEY=VALUE", "simulate", "--node-selector", "oops");
        assertUserError("--writers must be in 1..256", "simulate", "--writers", "0");
        assertUserError(
                "--load and --traces exclude each other", "simulate", "--load", "0.3", "--traces", dir.toString());
        assertUserError("--speedup must be finite and > 0", "simulate", "--speedup", "0");
    }

    @Test
    void helpDocumentsEveryFlag() {
        CliRun.Result r = CliRun.run("simulate", "--help");
        assertThat(r.exit()).isZero();
        for (String flag : new String[] {
            "--kubeconfig",
            "--config",
            "--node-selector",
            "--interval",
            "--traces",
            "--speedup",
            "--load",
            "--utilisation",
            "--seed",
            "--writers",
            "--sync-timeout"
        }) {
            assertThat(r.out()).contains(flag);
        }
    }
}
