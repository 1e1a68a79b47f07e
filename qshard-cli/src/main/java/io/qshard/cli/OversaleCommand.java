package io.qshard.cli;

import picocli.CommandLine.Command;

/** {@code qshard oversale}: the ratio controller and its status. */
@Command(
        name = "oversale",
        mixinStandardHelpOptions = true,
        description =
                "Node oversale: the controller that sets each opted-in node's ratios (run), and a table of them (status).",
        subcommands = {OversaleRunCommand.class, OversaleStatusCommand.class})
public final class OversaleCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
