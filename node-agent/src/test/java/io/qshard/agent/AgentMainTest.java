package io.qshard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class AgentMainTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--cgroup-driver=docker | --cgroup-driver must be cgroupfs or systemd",
                "--node-usage-from=disk | --node-usage-from must be proc or kubepods",
                "--memory-threshold=95 | --memory-threshold must be in (0, 1]",
                "--fast-path-change=0 | --fast-path-change must be in (0, 1]",
                "--sample-interval-ms=10 | --sample-interval must be at least 100ms",
                "--metrics-port=70000 | --metrics-port must be in 0..65535",
            })
    void badFlagsFailAtStartupNamingTheFlag(String flag, String message) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AgentMain());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("error: " + e.getMessage());
            return 2;
        });
        int code = cl.execute("--node-name=n1", flag.trim());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(message.trim());
    }

    @ParameterizedTest
    @CsvSource({
        "--node-name",
        "--cgroup-root",
        "--cgroup-parent",
        "--cgroup-driver",
        "--dry-run",
        "--evict-grace",
        "--memory-threshold",
        "--fast-path-change",
        "--interval",
        "--metrics-port",
        "--kubeconfig",
        "--config",
        "--exit-on-fatal"
    })
    void helpDocumentsEveryFlag(String flag) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new AgentMain());
        cl.setOut(new PrintWriter(out));
        cl.execute("--help");
        assertThat(out.toString()).contains(flag);
    }
}
