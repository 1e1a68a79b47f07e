package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.kube.process.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code qshard replicas run} and {@code status}: bad flags fail fast with one line naming the flag, before any
 * connection is made (there is no cluster here: a command that got past its checks would fail otherwise); the
 * defaults are the law's.
 */
class ReplicasCommandTest {

    private static void assertUserError(String expected, String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.exit()).as(r.err()).isEqualTo(UserError.EXIT_CODE);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("error: ")
                .contains(expected);
    }

    @Test
    void badFlagsAreOneLineErrorsNamingTheFlag() {
        for (String sub : new String[] {"run", "status"}) {
            assertUserError("--hysteresis must be in [0, 0.5], was 0.7", "replicas", sub, "--hysteresis", "0.7");
            assertUserError("--max-step must be >= 1, was 0", "replicas", sub, "--max-step", "0");
            assertUserError("--max-step-percent must be in [1, 1000], was 0", "replicas", sub, "--max-step-percent=0");
            assertUserError(
                    "--max-replicas-per-minute must be >= 1, was 0", "replicas", sub, "--max-replicas-per-minute", "0");
            assertUserError("--max-replicas-cap must be >= 1, was -5", "replicas", sub, "--max-replicas-cap", "-5");
            assertUserError(
                    "--kinds: 'deployments' is not GROUP/VERSION/PLURAL", "replicas", sub, "--kinds", "deployments");
            assertUserError("--kinds: '/v1/things' is not GROUP/VERSION/PLURAL", "replicas", sub, "--kinds=/v1/things");
        }
        assertUserError("--period must be at least 1s, was PT0S", "replicas", "run", "--period", "0s");
        assertUserError("--metrics-port must be in 0..65535, was 70000", "replicas", "run", "--metrics-port", "70000");
        assertUserError("--observe must be at least 15s, was 10s", "replicas", "status", "--observe", "10s");
    }

    @Test
    void aDurationThatDoesNotParseIsRefusedByPicocliNamingTheFlag() {
        CliRun.Result r = CliRun.run("replicas", "run", "--min-interval", "soon");
        assertThat(r.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("--min-interval").contains("'soon' is not a duration");
    }

    @Test
    void theDefaultsAreTheLaws() {
        ReplicasRunCommand run = new ReplicasRunCommand();
        new CommandLine(run).parseArgs();
        assertThat(run.law.settings()).isEqualTo(HostingSettings.defaults());
        assertThat(run.periodSeconds).isEqualTo(30);
        assertThat(run.warmUpSeconds).isEqualTo(60);
        assertThat(run.metricsPort).isEqualTo(9407);
        assertThat(run.law.kinds).containsExactly("apps/v1/deployments", "apps/v1/statefulsets", "apps/v1/replicasets");

        ReplicasRunCommand set = new ReplicasRunCommand();
        new CommandLine(set)
                .parseArgs("--min-interval", "2m", "--up-window", "5m", "--manual-hold", "1h", "--kinds", "v1/things");
        HostingSettings s = set.law.settings();
        assertThat(s.minInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.upWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.manualHold()).isEqualTo(Duration.ofHours(1));
        assertThat(set.law.kindNames()).singleElement().isEqualTo(new String[] {"", "v1", "things"});
    }

    @Test
    void theManifestRunsTheDefaultsAndOnlyFlagsThatExist() throws Exception {
        Object docs = new KubernetesSerialization()
                .unmarshal(Files.readString(Path.of("..", "manifests", "replicas", "replicas.yaml")));
        assertThat(docs).isInstanceOf(List.class);
        Deployment d = ((List<?>) docs)
                .stream()
                        .filter(Deployment.class::isInstance)
                        .map(Deployment.class::cast)
                        .findFirst()
                        .orElseThrow();
        List<String> args =
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(args).startsWith("replicas", "run");
        CommandLine cl = new CommandLine(new QshardCommand());
        CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
        ReplicasRunCommand run =
                parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertThat(run.law.settings()).isEqualTo(HostingSettings.defaults());
        assertThat(run.metricsPort).isEqualTo(9407);
        assertThat(run.periodSeconds).isEqualTo(30);
        assertThat(run.warmUpSeconds).isEqualTo(60);
        assertThat(run.election.leaseNamespaceOrNull()).isEqualTo("qshard-system");
    }

    @Test
    void helpDocumentsEveryFlag() {
        CliRun.Result top = CliRun.run("--help");
        assertThat(top.out()).contains("replicas");
        CliRun.Result run = CliRun.run("replicas", "run", "--help");
        assertThat(run.exit()).isZero();
        for (String flag : new String[] {
            "--period",
            "--min-interval",
            "--up-window",
            "--hysteresis",
            "--max-step",
            "--max-step-percent",
            "--max-replicas-per-minute",
            "--manual-hold",
            "--max-replicas-cap",
            "--warm-up",
            "--kinds",
            "--dry-run",
            "--lease-namespace",
            "--identity",
            "--config",
            "--kubeconfig",
            "--sync-timeout",
            "--metrics-port",
            "--exit-on-fatal"
        }) {
            assertThat(run.out()).contains(flag);
        }
        CliRun.Result status = CliRun.run("replicas", "status", "--help");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("--namespace", "--observe", "--config", "--kubeconfig", "--hysteresis");
    }
}
