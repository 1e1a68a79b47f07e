package io.qshard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code qshard predict}: the usage predictors, offline. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Usage and hotspot prediction tools.",
        subcommands = {BacktestCommand.class})
public final class PredictCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
