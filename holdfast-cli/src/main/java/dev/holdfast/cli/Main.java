package dev.holdfast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code holdfast} command. Exit codes: 0 when the command ran (whatever it found), 2 on a usage or connection
 * error, with a message that names the problem.
 */
@Command(name = "holdfast",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Concurrent code that never silently loses a write, and tests that prove it.",
            "",
            "Run a subcommand with --help for its options."
        },
        subcommands = {AuditCommand.class, ExploreCommand.class, TasksCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests, which must not call {@link System#exit}). */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("holdfast: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("holdfast: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"holdfast " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version")};
        }
    }
}
