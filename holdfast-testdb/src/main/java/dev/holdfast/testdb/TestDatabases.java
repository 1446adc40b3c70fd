package dev.holdfast.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Fresh, isolated test databases, for {@link EachDatabase} and for code outside JUnit (the CLI, benchmarks).
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.fresh(DatabaseKind.POSTGRES)) {
 *     HikariConfig config = new HikariConfig();
 *     config.setJdbcUrl(db.url());
 *     ...
 * }   // the schema is dropped here
 * }</pre>
 *
 * <p>PostgreSQL and MariaDB come from {@code HOLDFAST_PG_URL} / {@code HOLDFAST_MARIADB_URL} (user and password in
 * the URL query or in {@code HOLDFAST_PG_USER}, {@code HOLDFAST_PG_PASSWORD}, {@code HOLDFAST_MARIADB_USER},
 * {@code HOLDFAST_MARIADB_PASSWORD}); when a variable is unset, an embedded server is started on first use and shared
 * by the whole JVM. A server that cannot be reached is an {@link IllegalStateException} naming the URL, never a skip.
 */
public final class TestDatabases {
    private static final Once<Path> SQLITE_DIR = new Once<>(TestDatabases::sqliteDirectory);

    private TestDatabases() {}

    /** A new, empty, isolated database of this kind. Close it to drop it. */
    public static TestDatabase fresh(DatabaseKind kind) {
        return switch (kind) {
            case SQLITE -> freshSqlite();
            case POSTGRES -> PostgresDatabases.fresh();
            case MARIADB -> MariaDbDatabases.fresh();
        };
    }

    private static TestDatabase freshSqlite() {
        Path file = SQLITE_DIR.get().resolve(randomName() + ".db");
        return new TestDatabase(DatabaseKind.SQLITE, "jdbc:sqlite:" + file, null, null, () -> {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        });
    }

    private static Path sqliteDirectory() {
        try {
            Path dir = Files.createTempDirectory("holdfast-sqlite");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "holdfast-delete-sqlite-files"));
            System.err.println("holdfast-testdb: sqlite files in " + dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for SQLite test databases", e);
        }
    }

    /** {@code hf_} and 16 hex digits: a valid unquoted identifier on every database, unlikely to collide. */
    static String randomName() {
        return String.format("hf_%016x", ThreadLocalRandom.current().nextLong());
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit
        }
    }
}
