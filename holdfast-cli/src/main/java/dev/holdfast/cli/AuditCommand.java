package dev.holdfast.cli;

import dev.holdfast.Isolation;
import dev.holdfast.testkit.audit.AuditResult;
import dev.holdfast.testkit.audit.IsolationAudit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code holdfast audit}: runs the Hermitage suite against a database and prints which anomalies each level allows. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Hermitage anomaly suite (Martin Kleppmann, CC BY 4.0) against a database at every isolation "
                    + "level it offers and prints which anomalies each level actually allows.",
            "Without --url it audits SQLite in a temporary directory (rollback-journal and WAL mode).",
            "The audit creates, fills and drops the table 'test' (see --table).",
            "Exit code 0 when the audit ran, whatever it found; 1 when it failed (e.g. no connection); 2 on a usage "
                    + "error."
        })
final class AuditCommand implements Callable<Integer> {

    enum Format { text, json, html }

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Option(names = "--isolation", paramLabel = "LEVEL|all", defaultValue = "all", split = ",",
            description = "Levels to audit, comma-separated: read-uncommitted, read-committed, repeatable-read, "
                    + "serializable, or all (default).")
    List<String> isolation;

    @Option(names = "--format", paramLabel = "text|json|html", defaultValue = "text",
            description = "Report format: text (default), json (stable, see docs/audit.md) or html (one "
                    + "self-contained file with swimlane diagrams).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = "test",
            description = "The table the audit creates and drops (default: test). The audit refuses to start when "
                    + "it exists.")
    String table;

    @Override
    public Integer call() throws IOException {
        List<Isolation> levels = levels();
        connection.checkKind(spec.commandLine(), "audit");
        ReportFile.checkWritable(spec.commandLine(), out);
        ProgressLine line = new ProgressLine(spec.commandLine().getErr());
        HeldAudit progress = new HeldAudit(line);
        OnInterrupt drop = connection.url == null ? null
                : new AuditTable(connection.url, connection.user, connection.password, table).dropOnInterrupt(progress::hold);
        AuditResult result;
        try {
            result = IsolationAudit.of(connection.url).user(connection.user).password(connection.password)
                    .levels(levels).table(table)
                    .progress(progress).run();
        } finally {
            line.finish();
            if (drop != null) {
                try {
                    drop.close();   // the audit has dropped it already; this makes sure
                } catch (RuntimeException e) {
                    spec.commandLine().getErr().println("holdfast: " + e.getMessage());
                }
            }
        }
        String report = switch (format) {
            case text -> TextReport.render(result);
            case json -> JsonReport.render(result);
            case html -> HtmlReport.render(result);
        };
        ReportFile.write(spec.commandLine(), out, report, format + " report");
        return 0;
    }

    private List<Isolation> levels() {
        List<Isolation> levels = new ArrayList<>();
        for (String raw : isolation) {
            String name = raw.strip().toUpperCase(Locale.ROOT).replaceAll("[-_ ]+", "_");
            if (name.equals("ALL")) {
                return List.of();
            }
            try {
                levels.add(Isolation.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Unknown isolation level '" + raw + "'; use "
                        + "read-uncommitted, read-committed, repeatable-read, serializable or all");
            }
        }
        return levels;
    }
}
