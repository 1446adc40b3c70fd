package dev.holdfast.cli;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.Catalogue;
import dev.holdfast.testkit.detect.PostgresLogReader;
import dev.holdfast.testkit.detect.RaceDetector;
import dev.holdfast.testkit.detect.RecordedTransaction;
import dev.holdfast.testkit.detect.Report;
import dev.holdfast.testkit.detect.TraceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast detect}: the race detector over SQL that already ran — a PostgreSQL {@code log_statement=all} log or
 * a trace file of the test kit's detector — printing what it suspects: lost updates, check-then-insert without a
 * unique constraint, write skew, stale snapshots. Nothing here can run the code, so every finding is suspected.
 */
@Command(name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the SQL an application sent — a PostgreSQL server log written with log_statement = 'all' (--log) "
                    + "or a trace file of the test kit's race detector (--trace) — and reports the races its "
                    + "transactions allow: lost updates, check-then-insert without a unique constraint, write skew, "
                    + "stale snapshots. Every finding is SUSPECTED: proving one needs the code (see docs/detect.md).",
            "With --url it reads the unique keys of that database (read-only); without, it cannot tell which checks "
                    + "a unique constraint backs.",
            "Exit code 0 when it found nothing; 3 when it found at least one race (so a CI step fails); 1 when it "
                    + "failed (unreadable log, no connection); 2 on a usage error."
        })
final class DetectCommand implements Callable<Integer> {
    /** The exit code when the analysis found at least one race. */
    static final int FOUND = 3;

    enum Format { text, json, html }

    @Spec
    CommandSpec spec;

    @Option(names = "--log", paramLabel = "FILE",
            description = "A PostgreSQL server log written with log_statement = 'all' and the backend pid in "
                    + "log_line_prefix (the default '%%m [%%p] ' has it).")
    Path log;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "A trace file of the test kit's race detector (TraceFile; @DetectRaces writes "
                    + "target/holdfast-races/<class>.trace).")
    Path trace;

    @Option(names = "--url", paramLabel = "URL",
            description = "JDBC URL of the database the SQL ran on (or a copy of its schema), to read its unique "
                    + "keys: jdbc:postgresql://host/db, jdbc:mariadb://host/db, jdbc:sqlite:file. Only read.")
    String url;

    @Option(names = "--user", paramLabel = "U", description = "User name for --url, when not in the URL.")
    String user;

    @Option(names = "--password", paramLabel = "P", arity = "0..1", interactive = true,
            defaultValue = "${env:HOLDFAST_PASSWORD}",
            description = "Password for --url, when not in the URL. Given alone it is asked for (not echoed). "
                    + "Default: the environment variable HOLDFAST_PASSWORD.")
    String password;

    @Option(names = "--default-isolation", paramLabel = "LEVEL", defaultValue = "read committed",
            description = "For --log: the server's default_transaction_isolation, for transactions that did not set "
                    + "one (default: read committed).")
    String defaultIsolation;

    @Option(names = "--format", paramLabel = "text|json|html", defaultValue = "text",
            description = "Report format: text (default), json (see docs/detect.md) or html (one self-contained page).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if ((log == null) == (trace == null)) {
            throw new ParameterException(spec.commandLine(), "holdfast detect needs one of --log FILE (a PostgreSQL "
                    + "log written with log_statement = 'all') or --trace FILE (a race detector trace)");
        }
        Path input = log != null ? log : trace;
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), (log != null ? "--log " : "--trace ") + input
                    + ": no such file");
        }
        PostgresLogReader reader;
        try {
            reader = PostgresLogReader.create().defaultIsolation(defaultIsolation);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--default-isolation " + e.getMessage());
        }
        if (url != null && log != null && !url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            throw new ParameterException(spec.commandLine(), "--log reads a PostgreSQL log, so --url must name that "
                    + "PostgreSQL database (jdbc:postgresql://...), got " + ExploreCommand.shown(url));
        }
        ReportFile.checkWritable(spec.commandLine(), out);

        List<RecordedTransaction> recorded = log != null ? reader.readFile(log) : TraceFile.read(trace);
        Catalogue catalogue;
        if (url != null) {
            catalogue = Catalogue.of(new UrlDataSource(url, user, password));
        } else {
            DatabaseKind kind = log != null ? DatabaseKind.POSTGRES : recorded.stream().map(RecordedTransaction::database)
                    .filter(Objects::nonNull).findFirst().orElse(null);
            if (kind == null) {
                throw new ParameterException(spec.commandLine(), "--trace " + trace + " does not say which database "
                        + "its transactions ran on; pass --url of that database");
            }
            catalogue = Catalogue.unknown(kind);
        }
        Report report = RaceDetector.analyse(recorded, catalogue);
        String source = (log != null ? "PostgreSQL log " : "trace ") + input;
        String text = switch (format) {
            case text -> DetectReport.text(report, source, url != null);
            case json -> DetectReport.json(report, source, url != null);
            case html -> DetectReport.html(report, source, url != null);
        };
        ReportFile.write(spec.commandLine(), out, text, format + " race report");
        return report.findings().isEmpty() ? 0 : FOUND;
    }
}
