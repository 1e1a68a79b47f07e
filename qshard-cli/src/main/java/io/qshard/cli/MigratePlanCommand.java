package io.qshard.cli;

import io.qshard.controllers.migrate.MigrationController;
import io.qshard.controllers.migrate.MigrationPlan;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.process.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard migrate plan}: what the next cycle would do, without doing it. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description =
                "Watch the cluster's usage reports long enough for the hot-node rule (migration.hotReports reports), "
                        + "then print what the next migration cycle would evict, from where, why, and where each pod would fit — "
                        + "and the hot nodes it would leave alone and why. Evicts nothing.")
public final class MigratePlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "qshard.yaml. Default: built in.")
    Path config;

    @Option(
            names = "--observe",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to watch reports first (default: hotReports × reportInterval + 5s).")
    Long observeSeconds;

    @Mixin
    KubeconfigOption cluster;

    @Override
    public Integer call() throws Exception {
        QshardConfig cfg = RunCommand.loadConfig(config);
        long observe = observeSeconds != null
                ? observeSeconds
                : cfg.migration().hotReports() * cfg.pools().reportInterval().toSeconds() + 5;
        KubeconfigResolver.Resolved resolved = cluster.resolve();
        ApiserverConnection.open(resolved, "qshard-migrate-plan").close();
        PrintWriter out = spec.commandLine().getOut();
        try (MigrationController controller = new MigrationController(
                io.qshard.kube.client.ApiClients.create(resolved.config(), "qshard-migrate-plan"),
                cfg.withMigration(cfg.migration().withEnabled(false)),
                true,
                null,
                "plan",
                Clock.systemUTC())) {
            controller.start(Duration.ofSeconds(60));
            out.printf("watching usage reports for %d s …%n", observe);
            out.flush();
            Thread.sleep(observe * 1000); // the rule needs that many reports; nothing else to wait for
            MigrationPlan plan = controller.plan();
            if (plan.moves().isEmpty() && plan.skips().isEmpty()) {
                out.println("no hot node: the next cycle would evict nothing");
            }
            if (!plan.moves().isEmpty()) {
                out.printf("%-24s %-40s %-6s %8s  %-24s %s%n", "FROM", "POD", "TIER", "USAGE", "FITS ON", "WHY");
                for (MigrationPlan.Move m : plan.moves()) {
                    out.printf(
                            "%-24s %-40s %-6s %7dm  %-24s %s%n",
                            m.from(), m.pod().key(), m.pod().tier(), m.usage(), m.target(), m.reason());
                }
            }
            for (MigrationPlan.Skip s : plan.skips()) {
                out.printf("left alone: %s: %s%n", s.node(), s.reason());
            }
        }
        out.flush();
        return 0;
    }
}
