package io.qshard.shard.cli;

import io.qshard.core.config.ConfigException;
import io.qshard.localcluster.ControlPlaneException;
import picocli.CommandLine;

/** Entry point of {@code bin/qshard} / {@code java -jar qshard.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (also used by tests to run commands in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new QshardCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError || e instanceof ControlPlaneException || e instanceof ConfigException) {
                commandLine.getErr().println("error: " + e.getMessage());
                commandLine.getErr().flush();
                return UserError.EXIT_CODE;
            }
            throw e;
        });
        return cl;
    }
}
