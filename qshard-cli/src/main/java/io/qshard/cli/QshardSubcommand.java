package io.qshard.cli;

/**
 * A {@code qshard} subcommand contributed by a jar on the classpath ({@link java.util.ServiceLoader}), so that a
 * module the production jar must not carry — the demo, which starts a local control plane — still runs as
 * {@code qshard demo} from its own jar. An implementation is a picocli {@code @Command} class with a public no-arg
 * constructor, listed in {@code META-INF/services/io.qshard.cli.QshardSubcommand}.
 */
public interface QshardSubcommand {}
