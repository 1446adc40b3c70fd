package dev.holdfast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code holdfast} command. Exit codes follow picocli's convention: 0 when the command ran (whatever it found), 1
 * when it failed (the database could not be reached, the report could not be written), 2 on a usage error (an unknown
 * option, a bad value, no command) — each with one line that names the problem.
 */
@Command(name = "holdfast",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Concurrent code that never silently loses a write, and tests that prove it.",
            "",
            "Run a subcommand with --help for its options."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the command ran (whatever it found; detect: it found no race)",
            "1:it failed: the database could not be reached, the report could not be written",
            "2:usage error: unknown option, bad value, no command",
            "3:detect found at least one race"
        },
        subcommands = {AuditCommand.class, DetectCommand.class, ExploreCommand.class, TasksCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line, e.g. {@code audit --url jdbc:postgresql://localhost/scratch}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests, which must not call {@link System#exit}). */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILED);
        cli.setParameterExceptionHandler((e, a) -> {
            // The problem, the usage line and one hint: the whole help would bury the one line that matters.
            CommandLine failed = e.getCommandLine();
            java.io.PrintWriter err = failed.getErr();
            err.println("holdfast: " + e.getMessage());
            err.print("Usage: " + failed.getHelp().synopsis(0));
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("holdfast: " + e.getMessage());
            return FAILED;
        });
        return cli.execute(args);
    }

    /** {@code holdfast} alone: the help, on standard error, and the usage exit code (nothing was run). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /**
     * The version from the jar's manifest ({@code Implementation-Version}, written by the build); from
     * {@code holdfast-version.properties} (filtered by Maven) when running from classes, as the tests do.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"holdfast " + version(), "Java " + System.getProperty("java.version")};
        }

        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            if (v != null) {
                return v;
            }
            try (java.io.InputStream in = Main.class.getResourceAsStream("/holdfast-version.properties")) {
                java.util.Properties p = new java.util.Properties();
                if (in != null) {
                    p.load(in);
                }
                return p.getProperty("version", "(unknown version)");
            } catch (java.io.IOException e) {
                return "(unknown version)";
            }
        }
    }
}
