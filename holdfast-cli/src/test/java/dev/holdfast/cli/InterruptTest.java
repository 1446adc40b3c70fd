package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl-C's SIGINT also triggers: the JVM's shutdown hooks) in the middle of {@code audit} or
 * {@code explore --url} leaves nothing behind: the audit's table, explore's schema or database are dropped. The
 * command runs in a child JVM, which the test signals once the work is under way.
 */
class InterruptTest {

    /** A running holdfast child, its standard error going to a file that {@link #awaitLine} polls. */
    static final class Child {
        final Process process;
        final Path err;
        List<String> lines = List.of();

        Child(Path dir, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            err = dir.resolve("stderr.txt");
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
        }

        String awaitLine(Predicate<String> match) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && process.isAlive()) {
                lines = Files.readAllLines(err);
                for (String line : lines) {
                    if (match.test(line)) {
                        return line;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no matching line; holdfast wrote " + Files.readAllLines(err));
        }

        void terminate() throws Exception {
            process.destroy();   // SIGTERM
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            lines = Files.readAllLines(err);
        }
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void anInterruptedAuditDropsItsTable(TestDatabase db, @TempDir Path dir) throws Exception {
        Child child = new Child(dir, "audit", "--url", db.url(), "--table", "interrupted_audit");
        child.awaitLine(line -> line.startsWith("holdfast audit: ") && line.contains(" done ("));
        // (the audit re-creates its table between anomalies, so whether it exists at this instant is chance; the exit
        // code below shows the audit was still running)
        child.terminate();
        assertThat(child.process.exitValue()).as("killed mid-run, not finished: %s", child.lines).isNotZero();
        assertThat(tableExists(db, "interrupted_audit")).as("table left behind; child said %s", child.lines).isFalse();
        assertThat(child.lines).as("exit %d", child.process.exitValue())
                .anyMatch(line -> line.contains("interrupted; dropping the audit's table interrupted_audit"));
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void anInterruptedExploreDropsItsSchemaOrDatabase(TestDatabase db, @TempDir Path dir) throws Exception {
        Child child = new Child(dir, "explore", "--url", db.url(), "--scenario", "all");
        String working = child.awaitLine(line -> line.startsWith("holdfast explore: working in "));
        String name = working.replaceAll(".* (hf_explore_[0-9a-f]+).*", "$1");
        assertThat(schemaExists(db, name)).isTrue();
        child.awaitLine(line -> line.startsWith("holdfast explore: [1/") && line.endsWith("..."));   // schedules run
        child.terminate();
        assertThat(child.process.exitValue()).as("killed mid-run, not finished: %s", child.lines).isNotZero();
        assertThat(child.lines).anyMatch(line -> line.equals("holdfast: interrupted; drop schema " + name)
                || line.equals("holdfast: interrupted; drop database " + name));
        assertThat(schemaExists(db, name)).as("%s left behind; child said %s", name, child.lines).isFalse();
    }

    private static boolean tableExists(TestDatabase db, String table) throws Exception {
        String sql = switch (db.kind()) {
            case SQLITE -> "select count(*) from sqlite_master where name = ?";
            case POSTGRES -> "select count(*) from information_schema.tables where table_schema = current_schema() and table_name = ?";
            case MARIADB -> "select count(*) from information_schema.tables where table_schema = database() and table_name = ?";
        };
        return count(db, sql, table) > 0;
    }

    private static boolean schemaExists(TestDatabase db, String name) throws Exception {
        return count(db, "select count(*) from information_schema.schemata where schema_name = ?", name) > 0;
    }

    private static int count(TestDatabase db, String sql, String name) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
