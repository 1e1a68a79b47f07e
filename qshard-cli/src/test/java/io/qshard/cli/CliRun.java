package io.qshard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs a {@code qshard} command line in-process, as {@code bin/qshard} would, and keeps what it printed. */
public final class CliRun {
    private CliRun() {}

    /** What a command returned and printed. */
    public record Result(int exit, String out, String err) {
        /** The non-blank lines of standard error. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs {@code args} through {@link Main#commandLine()} (every subcommand on the classpath). */
    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
