package io.qshard.cli;

import io.qshard.core.config.ConfigException;
import io.qshard.kube.process.UserError;
import java.util.ServiceLoader;
import picocli.CommandLine;

/** Entry point of {@code bin/qshard} / {@code java -jar qshard.jar}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (also used by tests to run commands in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new QshardCommand());
        for (QshardSubcommand extra : ServiceLoader.load(QshardSubcommand.class)) {
            cl.addSubcommand(extra); // e.g. `demo`, from the demo module's jar
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError || e instanceof ConfigException) {
                commandLine.getErr().println("error: " + e.getMessage());
                commandLine.getErr().flush();
                return UserError.EXIT_CODE;
            }
            throw e;
        });
        return cl;
    }
}
