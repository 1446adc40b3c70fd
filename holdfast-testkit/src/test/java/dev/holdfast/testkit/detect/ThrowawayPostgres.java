package dev.holdfast.testkit.detect;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 server of its own for one test class, logging every statement ({@code log_statement=all}) to a
 * file the test reads: {@code initdb} in {@code target/throwaway-postgres}, port 15498, stopped and deleted by {@link
 * #close()}. holdfast-testdb's PostgresCluster does not fit here: it needs its own fixed ports and directory for its
 * replicas, and its log settings are not ours to change.
 */
final class ThrowawayPostgres implements AutoCloseable {
    static final int PORT = 15498;
    private static final Path BIN = Path.of(System.getProperty("holdfast.postgres.bin", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final Path log;
    private boolean started;

    private ThrowawayPostgres(Path dir) {
        this.dir = dir;
        this.log = dir.resolve("server.log");
    }

    /** initdb + pg_ctl start; a failure stops whatever started and says where the output is. */
    static ThrowawayPostgres start() throws IOException {
        Path dir = Path.of("target", "throwaway-postgres").toAbsolutePath();
        ThrowawayPostgres pg = new ThrowawayPostgres(dir);
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                pg.started = true; // a killed JVM left it running: stop it before starting afresh
                pg.close();
            }
            deleteRecursively(dir);
            Files.createDirectories(dir);
            run(List.of("chown", "-R", "postgres", dir.toString()), dir.resolve("chown.log"), true);
            run(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync", "--locale=C"), dir.resolve("initdb.log"), false);
            pg.started = true;
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", pg.log.toString(), "-w",
                    "-o", "-p " + PORT + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c log_statement=all"
                            + " -c logging_collector=off -c fsync=off -c lc_messages=C", "start"), dir.resolve("pg_ctl.log"), false);
            return pg;
        } catch (IOException | RuntimeException | Error e) {
            pg.close();
            throw e;
        }
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + PORT + "/postgres?user=postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (started) {
            started = false;
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"),
                    dir.resolve("pg_ctl-stop.log"), false);
        }
    }

    private static void run(List<String> command, Path output, boolean asRoot) {
        List<String> full = new ArrayList<>();
        if (!asRoot && "root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--")); // PostgreSQL refuses to run as root
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s; output in " + output);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + p.exitValue() + "):\n"
                        + Files.readString(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
