package io.qshard.cli;

import picocli.CommandLine.Command;

/** The {@code qshard} command; every function is a subcommand. */
@Command(
        name = "qshard",
        mixinStandardHelpOptions = true,
        version = "qshard 0.1.0-SNAPSHOT",
        description = "Tiered, sharded, usage-aware Kubernetes scheduler.",
        subcommands = {
            RunCommand.class,
            SimulateCommand.class,
            PredictCommand.class,
            WebhookCommand.class,
            OversaleCommand.class,
            MigrateCommand.class,
            ReplicasCommand.class,
            ShardCommand.class,
            ExplainCommand.class
        })
public final class QshardCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
