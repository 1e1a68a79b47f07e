package io.qshard.kube.health;

import picocli.CommandLine.Option;

/**
 * The {@code --exit-on-fatal} flag every long-running component takes, as a picocli mixin (the node agent's and the
 * {@code qshard} subcommands' alike).
 */
public final class ExitOnFatalOption {
    @Option(
            names = "--exit-on-fatal",
            paramLabel = "true|false",
            arity = "0..1",
            defaultValue = "true",
            fallbackValue = "true",
            description = "When a loop of this process dies (a broken invariant), stop gracefully within a bound and "
                    + "exit " + FatalExit.EXIT_CODE + " so it is restarted; false: keep running with /healthz failing "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean exitOnFatal = true;

    /** @return {@code health} when the process is to exit on a fatal loop, else null (for {@code StopSignals.await}) */
    public HealthChecks watched(HealthChecks health) {
        return exitOnFatal ? health : null;
    }
}
