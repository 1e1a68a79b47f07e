package io.qshard.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A scheduler run as a separate process (kube-scheduler, or qshard's jar), output to a log file. */
final class ProcessContender implements Contender {
    private final String name;
    private final String schedulerName;
    private final Function<Path, List<String>> command;
    private final Path log;
    private final String javaOpts;
    private Process process;

    ProcessContender(String name, String schedulerName, Function<Path, List<String>> command, Path log) {
        this(name, schedulerName, command, log, null);
    }

    /** @param javaOpts QSHARD_JAVA_OPTS for the process, or null to leave it unset */
    ProcessContender(
            String name, String schedulerName, Function<Path, List<String>> command, Path log, String javaOpts) {
        this.name = name;
        this.schedulerName = schedulerName;
        this.command = command;
        this.log = log;
        this.javaOpts = javaOpts;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String schedulerName() {
        return schedulerName;
    }

    @Override
    public void start(Path kubeconfig, String namespace) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command.apply(kubeconfig))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("QSHARD_JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("QSHARD_JAVA_OPTS", javaOpts);
        }
        process = pb.start();
    }

    @Override
    public void reset() {
        process = null;
    }

    @Override
    public List<Long> pids() {
        return process == null ? List.of() : List.of(process.pid());
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
