package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.QshardConfig;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.shard.scheduler.SchedulerSettings.BookingMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code qshard run --node-bookings}: parsed before any connection, and what {@code auto} resolves to. */
class RunCommandTest {

    private static RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run;
    }

    @Test
    void nodeBookingsDefaultToAutoAndTakeOnOrOffInAnyCase() {
        assertThat(parse("--tier", "prod").nodeBookings).isEqualTo(BookingMode.AUTO);
        assertThat(parse("--tier", "prod", "--node-bookings", "on").nodeBookings)
                .isEqualTo(BookingMode.ON);
        assertThat(parse("--all-tiers", "--node-bookings=OFF").nodeBookings).isEqualTo(BookingMode.OFF);
    }

    @Test
    void aWrongModeIsAOneLineErrorNamingTheFlag() {
        CliRun.Result r = CliRun.run("run", "--tier", "prod", "--node-bookings", "maybe");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("--node-bookings must be auto, on or off, was 'maybe'");
        assertThat(CliRun.run("run", "--help").out()).contains("--node-bookings");
    }

    /** Whether {@code qshard run <args>} books its placements (parsed, not run: no connection). */
    private static boolean books(String... args) {
        RunCommand run = parse(args);
        QshardConfig cfg = QshardConfig.defaults();
        return SchedulerProcess.booksNodes(run.settings(), cfg, run.instances(cfg));
    }

    @Test
    void autoBooksWithLeaderElectionOrUnlessTheProcessRunsEveryShardOfEveryTier() {
        assertThat(books("--all-tiers")).as("--all-tiers alone: one ledger").isFalse();
        assertThat(books("--all-tiers", "--lease-namespace", "qshard-system"))
                .as("--all-tiers replicas elect per tier: prod's leader and mid's may be two processes")
                .isTrue();
        assertThat(books("--tier", "prod")).as("--tier prod").isTrue();
        assertThat(books("--tier", "prod", "--lease-namespace", "qshard-system"))
                .isTrue();
        assertThat(books("--all-tiers", "--node-bookings", "on")).isTrue();
        assertThat(books("--tier", "prod", "--node-bookings", "off")).isFalse();
        assertThat(books("--all-tiers", "--lease-namespace", "qshard-system", "--node-bookings", "off"))
                .isFalse();

        QshardConfig cfg = QshardConfig.defaults();
        List<SchedulerProcess.Instance> all = SchedulerProcess.allShards(cfg.tiers());
        SchedulerSettings auto = SchedulerSettings.defaults().withNodeBookings(BookingMode.AUTO);
        assertThat(SchedulerProcess.booksNodes(auto, cfg, all.subList(0, all.size() - 1)))
                .as("three tiers of four")
                .isTrue();
    }

    @Test
    void theHelpTellsWhenAutoBooks() {
        assertThat(CliRun.run("run", "--help").out().replaceAll("\\s+", " "))
                .contains("auto (on with --lease-namespace");
    }
}
