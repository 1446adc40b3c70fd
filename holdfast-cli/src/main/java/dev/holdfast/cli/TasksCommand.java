package dev.holdfast.cli;

import dev.holdfast.Database;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.tasks.TaskStatus;
import dev.holdfast.tasks.Tasks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code holdfast tasks}: lists the durable tasks of a database with their state and a progress bar. */
@Command(name = "tasks",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the durable tasks (holdfast-tasks) stored in a database: state, progress bar, attempts, worker, "
                    + "last heartbeat, message or error. Read-only: it creates and changes nothing.",
            "Exit code 0 when it listed (even nothing); 2 on a usage or connection error."
        })
final class TasksCommand implements Callable<Integer> {

    enum Format { text, html }

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Option(names = "--format", paramLabel = "text|html", defaultValue = "text",
            description = "text (default) or html (one self-contained page).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the list to FILE instead of standard output.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "500",
            description = "At most N tasks, oldest first (default 500).")
    int limit;

    @Override
    public Integer call() throws IOException {
        if (connection.url == null) {
            throw new ParameterException(spec.commandLine(), "holdfast tasks needs --url: the database whose "
                    + "holdfast_task table to list, e.g. --url jdbc:postgresql://host/app");
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        ReportFile.checkWritable(spec.commandLine(), out);
        List<TaskStatus> tasks;
        Database.Builder b = Database.builder(connection.url).poolSize(1);
        if (connection.user != null) {
            b.user(connection.user);
        }
        if (connection.password != null) {
            b.password(connection.password);
        }
        try (Database db = b.build()) {
            try {
                tasks = Tasks.builder(db).createTable(false).build().list(limit);
            } catch (HoldfastException e) {
                throw new HoldfastException("could not read holdfast_task in " + db.url() + " (" + e.getMessage()
                        + "); has this database been used with holdfast-tasks (Tasks.open creates the table)?", e);
            }
            String report = switch (format) {
                case text -> TasksReport.text(tasks, Instant.now());
                case html -> TasksReport.html(tasks, db.url(), Instant.now());
            };
            ReportFile.write(spec.commandLine(), out, report, format + " task list");
        }
        return 0;
    }
}
