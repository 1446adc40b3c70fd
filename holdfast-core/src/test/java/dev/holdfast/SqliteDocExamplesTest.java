package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/sqlite.md, verbatim between the "doc:" markers: if they stop compiling or working, this fails. */
class SqliteDocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void openTransferAndRead() {
        Path file = dir.resolve("app.db");
        long total;
        // doc:open
        try (Database db = Database.builder("jdbc:sqlite:" + file)
                .sqliteSynchronous(SqliteSynchronous.FULL)   // the default: a commit survives a power cut
                .writerQueueCapacity(4096)                   // the default: back-pressure beyond this
                .groupCommitMaxUnits(512)                    // the default: most transactions per COMMIT
                .build()) {
            db.execute("create table if not exists account(id integer primary key, balance integer not null)");
            db.execute("insert into account(id, balance) values (1, 100), (2, 0)");
            db.useTransaction(tx -> {
                tx.execute("update account set balance = balance - 10 where id = 1");
                tx.execute("update account set balance = balance + 10 where id = 2");
            });
            total = db.queryScalar(Long.class, "select sum(balance) from account");
        }
        // doc:end
        assertThat(total).isEqualTo(100L);
    }

    @Test
    void fireManyThenWait() {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("events.db"))) {
            db.execute("create table event(id integer primary key)");
            // doc:async
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int id = i;
                done.add(db.transactAsync(tx -> tx.execute("insert into event(id) values (?)", id)));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();   // all 1000 are committed
            // doc:end
            assertThat(db.queryScalar(Long.class, "select count(*) from event")).isEqualTo(1000L);
        }
    }

    @Test
    void sideEffectsAfterCommit() {
        List<String> outbox = new CopyOnWriteArrayList<>();
        Mailer mailer = outbox::add;
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("orders.db"))) {
            db.execute("create table orders(id integer primary key, customer text not null)");
            // doc:afterCommit
            db.useTransaction(tx -> {
                tx.execute("insert into orders(id, customer) values (?, ?)", 7, "ada@example.com");
                // Not mailer.send(...) here: the writer would wait for the mail server, and so would every other write.
                tx.afterCommit(() -> mailer.send("ada@example.com"));
            });
            // doc:end
        }
        assertThat(outbox).containsExactly("ada@example.com");
    }

    @Test
    void severalProcessesOnOneFile() {
        Path file = dir.resolve("shared.db");
        // doc:multiProcess
        try (Database db = Database.builder("jdbc:sqlite:" + file).multiProcess(true).build()) {
            db.execute("create table if not exists job(id integer primary key, state text not null)");
            db.execute("insert into job(id, state) values (1, 'READY')");
            int claimed = db.transact(tx ->
                    tx.execute("update job set state = 'RUNNING' where id = 1 and state = 'READY'"));
        }
        // doc:end
        try (Database db = Database.open("jdbc:sqlite:" + file)) {
            assertThat(db.queryScalar(String.class, "select state from job where id = 1")).isEqualTo("RUNNING");
        }
    }

    interface Mailer {
        void send(String to);
    }
}
