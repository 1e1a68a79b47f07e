package io.qshard.cli;

import picocli.CommandLine.Command;

/** {@code qshard replicas}: replica hosting (the controller) and its status. */
@Command(
        name = "replicas",
        mixinStandardHelpOptions = true,
        description =
                "Replica hosting: the controller that scales opted-in workloads of the borrowing tiers with the room "
                        + "in their pool (run), and a table of what it would do (status).",
        subcommands = {ReplicasRunCommand.class, ReplicasStatusCommand.class})
public final class ReplicasCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
