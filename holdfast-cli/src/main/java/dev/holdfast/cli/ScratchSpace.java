package dev.holdfast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A place of its own for {@code holdfast explore} on the user's server: the explorer resets its database before every
 * schedule (it drops everything in it), so it must never run in a schema or database that holds anyone's data. On
 * PostgreSQL it gets a new schema, on MariaDB/MySQL a new database, on SQLite a new file in a temporary directory;
 * all are removed at the end. Nothing that was in the database the URL names is read, changed or dropped.
 */
final class ScratchSpace implements AutoCloseable {
    private final String url;
    private final String description;
    private final OnInterrupt cleanup;

    private ScratchSpace(String url, String description, Runnable cleanup) {
        this.url = url;
        this.description = description;
        this.cleanup = OnInterrupt.run("drop " + description, cleanup);
    }

    /** What and where it is, for the user: "schema hf_explore_1a2b3c4d5e6f". */
    String description() {
        return description;
    }

    /** The JDBC URL to explore on. */
    String url() {
        return url;
    }

    static ScratchSpace on(String target, String user, String password) {
        String lower = target == null ? "" : target.toLowerCase(Locale.ROOT);
        if (target == null || lower.startsWith("jdbc:sqlite:")) {
            return temporarySqliteFile();
        }
        String name = "hf_explore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (lower.startsWith("jdbc:postgresql:")) {
            run(target, user, password, "CREATE SCHEMA " + name);
            return new ScratchSpace(withParameter(target, "currentSchema", name), "schema " + name,
                    () -> run(target, user, password,
                            // Interrupted mid-schedule, the explorer's sessions may still hold locks in the schema:
                            // they are this run's own, so end them rather than wait for them.
                            "SET lock_timeout = '2s'",
                            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE pid <> pg_backend_pid()"
                                    + " AND locktype = 'relation' AND relation IN (SELECT c.oid FROM pg_class c"
                                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + name + "')",
                            "DROP SCHEMA IF EXISTS " + name + " CASCADE"));
        }
        run(target, user, password, "CREATE DATABASE " + name);
        return new ScratchSpace(withDatabase(target, name), "database " + name,
                () -> {
                    // Anyone connected to this private, randomly named database is this run's explorer: end them
                    // so DROP DATABASE does not wait on their metadata locks.
                    for (String id : ids(target, user, password,
                            "SELECT id FROM information_schema.processlist WHERE db = '" + name + "'")) {
                        try {
                            run(target, user, password, "KILL " + id);
                        } catch (IllegalStateException gone) {
                            // ended on its own meanwhile
                        }
                    }
                    run(target, user, password, "SET SESSION lock_wait_timeout = 10", "DROP DATABASE IF EXISTS " + name);
                });
    }

    private static ScratchSpace temporarySqliteFile() {
        try {
            Path dir = Files.createTempDirectory("holdfast-explore");
            return new ScratchSpace("jdbc:sqlite:" + dir.resolve("explore.db"), "temporary directory " + dir,
                    () -> deleteQuietly(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory for the SQLite file: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        cleanup.close();
    }

    /** {@code jdbc:x://host:port/db?a=b} with one query parameter set (replacing it when it is there). */
    static String withParameter(String url, String key, String value) {
        int q = url.indexOf('?');
        StringBuilder out = new StringBuilder(q < 0 ? url : url.substring(0, q)).append('?');
        if (q >= 0) {
            for (String param : url.substring(q + 1).split("&")) {
                if (!param.isEmpty() && !param.split("=", 2)[0].equalsIgnoreCase(key)) {
                    out.append(param).append('&');
                }
            }
        }
        return out.append(key).append('=').append(value).toString();
    }

    /** {@code jdbc:x://host:port/db?a=b} with the database replaced (or added). */
    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        int hostStart = base.indexOf("//");
        int slash = hostStart < 0 ? -1 : base.indexOf('/', hostStart + 2);
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + database + query;
    }

    /** Runs the statements in order on one new connection. */
    private static void run(String url, String user, String password, String... statements) {
        String sql = statements[statements.length - 1];
        try (Connection c = DriverManager.getConnection(url, properties(user, password)); Statement st = c.createStatement()) {
            for (String statement : statements) {
                sql = statement;
                st.execute(statement);
            }
        } catch (SQLException e) {
            String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalStateException("cannot " + sql.toLowerCase(Locale.ROOT) + " on "
                    + ExploreCommand.shown(url) + " (explore works in a schema or database of its own, and needs the "
                    + "right to create one): " + problem.replaceAll("\\s+", " ").strip());
        }
    }

    private static java.util.List<String> ids(String url, String user, String password, String query) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, properties(user, password)); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            // nothing to end: the drop below reports a real problem
        }
        return ids;
    }

    private static Properties properties(String user, String password) {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
