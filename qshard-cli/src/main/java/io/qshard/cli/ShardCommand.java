package io.qshard.cli;

import picocli.CommandLine.Command;

/** {@code qshard shard}: a sharded tier's map: its status, and rebalancing it. */
@Command(
        name = "shard",
        mixinStandardHelpOptions = true,
        description =
                "Shards of a tier: a table per shard (status) and a balanced reassignment by a two-step epoch change (rebalance).",
        subcommands = {ShardStatusCommand.class, ShardRebalanceCommand.class})
public final class ShardCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
