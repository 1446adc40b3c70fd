package dev.holdfast.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.StatementListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multiProcess(true)} with two real processes on one file (two {@code Database} objects in one JVM share
 * nothing SQLite-level that a second process would not, but only two processes prove it): the child meets the write
 * lock the parent holds, sees "database is locked" and retries, and no increment of either process is lost.
 */
class SqliteTwoProcessTest {
    @TempDir
    Path dir;

    static Database open(String file, StatementListener listener) {
        return Database.builder("jdbc:sqlite:" + file).multiProcess(true)
                .property("busy_timeout", "0")   // no waiting inside SQLite: a collision is a BusyException at once
                .retry(SqliteTwoProcessChild.patient())
                .listener(listener)
                .build();
    }

    @Test
    void twoProcessesSeeBusyRetryAndLoseNoIncrement() throws Exception {
        String file = dir.resolve("shared.db").toString();
        int each = 200;
        try (Database db = open(file, new StatementListener() { })) {
            db.execute("create table counter (id integer primary key, n integer not null)");
            db.execute("insert into counter values (1, 0)");
            Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
            Process child = null;
            try {
                try (Statement st = holder.createStatement()) {
                    st.execute("begin immediate");   // the parent holds the write lock: the child must collide
                }
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        SqliteTwoProcessChild.class.getName(), file, Integer.toString(each))
                        .redirectErrorStream(true).start();
                LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Process running = child;
                CompletableFuture.runAsync(() -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                        r.lines().forEach(lines::add);
                    } catch (Exception e) {
                        lines.add("reader failed: " + e);
                    }
                });
                StringBuilder log = new StringBuilder();
                String line;
                while ((line = lines.poll(120, TimeUnit.SECONDS)) != null && !line.equals("busy")) {
                    log.append(line).append('\n');
                }
                assertThat(line).as("the child met the parent's write lock; its output: %s", log).isEqualTo("busy");
                try (Statement st = holder.createStatement()) {
                    st.execute("commit");   // lets the child through
                }
                for (int i = 0; i < each; i++) {   // the parent writes while the child does
                    db.useTransaction(tx -> {
                        long n = tx.queryScalar(Long.class, "select n from counter where id = 1");
                        tx.execute("update counter set n = ? where id = 1", n + 1);
                    });
                }
                assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("the child finished").isTrue();
                String last = null;
                while ((line = lines.poll(10, TimeUnit.SECONDS)) != null) {
                    last = line;
                    if (line.startsWith("done ")) {
                        break;
                    }
                    log.append(line).append('\n');
                }
                assertThat(child.exitValue()).as("child exit; its output: %s", log).isZero();
                assertThat(last).startsWith("done ");
                assertThat(Integer.parseInt(last.substring(5))).as("busy errors the child saw and retried").isPositive();
            } finally {
                holder.close();
                if (child != null) {
                    child.destroyForcibly();
                }
            }
            assertThat(db.queryScalar(Long.class, "select n from counter where id = 1")).isEqualTo(2L * each);
        }
    }
}
