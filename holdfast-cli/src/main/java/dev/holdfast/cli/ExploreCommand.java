package dev.holdfast.cli;

import dev.holdfast.examples.Scenario;
import dev.holdfast.examples.ScenarioInterleaver;
import dev.holdfast.examples.Scenarios;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code holdfast explore}: runs the seed scenario catalogue through the interleaving explorer. For each seed bug, the
 * naive port and the Holdfast version are explored exhaustively (each actor once per schedule); the report gives the
 * schedules run and, for a naive version, the first failing schedule as a swimlane. Where a naive bug cannot happen on
 * the database (SQLite runs write transactions one at a time), the report says so and why. See docs/explore.md.
 */
@Command(name = "explore",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the seed scenarios (the naive port and the Holdfast version of each seed bug) through the "
                    + "interleaving explorer and shows the first schedule that loses a write.",
            "Without --url: an SQLite file in a new temporary directory. With --url it works in a schema "
                    + "(PostgreSQL) or database (MariaDB/MySQL) of its own, created for the run and dropped after it; "
                    + "nothing already in the database is touched. An SQLite --url is explored in a temporary file "
                    + "too.",
            "Exit 0 when it ran (whatever it found), 1 when it failed (e.g. no connection), 2 on a usage error."
        })
final class ExploreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "all",
            description = "A seed bug of the catalogue (both versions), e.g. django-bug-3-counter; one version, e.g. "
                    + "django-bug-3-counter/naive; or all (the default).")
    String scenario;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text (the default) or json (stable keys, see docs/explore.md).")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format must be text or json, got '" + format + "'");
        }
        connection.checkKind(spec.commandLine(), "explore");
        List<List<String>> pairs = selected();
        if (connection.url != null) {
            checkConnection(connection.url);
        }
        try (ScratchSpace scratch = ScratchSpace.on(connection.url, connection.user, connection.password)) {
            spec.commandLine().getErr().println("holdfast explore: working in " + scratch.description()
                    + ", removed at the end (also on Ctrl-C)");
            List<ExploreReport.Explored> explored = explore(scratch.url(), pairs);
            PrintWriter out = spec.commandLine().getOut();
            String shownUrl = shown(connection.url == null ? scratch.url() : connection.url);
            ExploreReport report = new ExploreReport(shownUrl, explored);
            out.print(format.equals("json") ? report.json() : report.text());
            out.flush();
            return 0;
        }
    }

    /** The scenario names to run, grouped by seed bug (naive first), from {@code --scenario}. */
    private List<List<String>> selected() {
        Map<String, List<String>> byBug = new LinkedHashMap<>();
        for (Scenario s : Scenarios.all()) {
            byBug.computeIfAbsent(bug(s.name()), k -> new ArrayList<>()).add(s.name());
        }
        byBug.values().forEach(names -> names.sort(Comparator.comparing(n -> n.endsWith("/safe"))));
        if (scenario.equals("all")) {
            return new ArrayList<>(byBug.values());
        }
        if (byBug.containsKey(scenario)) {
            return List.of(byBug.get(scenario));
        }
        List<String> one = byBug.get(bug(scenario));
        if (one != null && one.contains(scenario)) {
            return List.of(List.of(scenario));
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: no seed scenario named '" + scenario
                + "'; the catalogue has " + String.join(", ", byBug.keySet()) + " (add /naive or /safe for one "
                + "version), or all");
    }

    private static String bug(String scenarioName) {
        int slash = scenarioName.lastIndexOf('/');
        return slash < 0 ? scenarioName : scenarioName.substring(0, slash);
    }

    /** Fails with one line naming the URL and the problem when the database cannot be reached. */
    private void checkConnection(String target) {
        String u = target.toLowerCase(Locale.ROOT);
        if (!u.startsWith("jdbc:sqlite:") && !u.startsWith("jdbc:postgresql:") && !u.startsWith("jdbc:mariadb:")
                && !u.startsWith("jdbc:mysql:")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url: explore runs on jdbc:sqlite:, "
                    + "jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URLs, got " + shown(target));
        }
        Properties p = new Properties();
        if (connection.user != null) {
            p.setProperty("user", connection.user);
        }
        if (connection.password != null) {
            p.setProperty("password", connection.password);
        }
        try (Connection c = DriverManager.getConnection(target, p)) {
            c.isValid(5);
        } catch (SQLException e) {
            String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalStateException("cannot connect to " + shown(target) + ": "
                    + problem.replaceAll("\\s+", " ").strip());
        }
    }

    private List<ExploreReport.Explored> explore(String target, List<List<String>> pairs) {
        PrintWriter err = spec.commandLine().getErr();
        List<ExploreReport.Explored> explored = new ArrayList<>();
        int n = 0;
        for (List<String> pair : pairs) {
            n++;
            for (String name : pair) {
                err.printf("holdfast explore: [%d/%d] %s ...%n", n, pairs.size(), name);
                err.flush();
                Exploration e = ScenarioInterleaver.explore(
                        Interleaver.on(target, connection.user, connection.password), name);
                Scenario s = Scenarios.named(name);
                explored.add(new ExploreReport.Explored(s, e,
                        s.safe() ? null : ScenarioInterleaver.safeByAccident(name, target).orElse(null)));
                err.printf("holdfast explore: [%d/%d] %s: %d schedules, %d failed, %d ms%n", n, pairs.size(), name,
                        e.schedules(), e.failures().size(), e.elapsedNanos() / 1_000_000);
                err.flush();
            }
        }
        return explored;
    }

    /** The URL as shown to the user: a password in it is masked. */
    static String shown(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
