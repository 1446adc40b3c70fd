package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, run from several threads as it promises. Change both together. */
class ReadmeQuickstartTest {

    @Test
    void theQuickstartLosesNoIncrementFromManyThreads(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("app.db"))) {
            db.execute("create table if not exists counter (id int primary key, n int not null)");
            db.execute("insert into counter values (1, 0) on conflict do nothing");
            db.execute("insert into counter values (1, 0) on conflict do nothing");

            // The README prints from afterCommit; count what it printed.
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        db.useTransaction(tx -> {
                            tx.execute("update counter set n = n + 1 where id = ?", 1);
                            tx.afterCommit(() -> System.out.println("counted"));   // runs once, after the commit
                        });
                    }
                }));
            }
            try {
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                System.setOut(stdout);
                pool.shutdown();
            }
            assertThat(printed.toString(StandardCharsets.UTF_8).lines().filter("counted"::equals).count())
                    .as("afterCommit ran once per committed transaction").isEqualTo(800);
            assertThat(db.queryScalar(Long.class, "select n from counter where id = ?", 1)).isEqualTo(800);
        }
    }
}
