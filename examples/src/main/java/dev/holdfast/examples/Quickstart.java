package dev.holdfast.examples;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The program of docs/quickstart.md: eight threads count page visits in one row, and a rename happens while they do.
 * No increment and no rename is lost. Run it with a JDBC URL, or with none for an SQLite file in the current directory.
 */
public final class Quickstart {

    /** A row of the {@code page} table, as an immutable snapshot. */
    @Table("page")
    public record Page(@Id Long id, String title, long visits, @Version long version) {
        Page withTitle(String newTitle) {
            return new Page(id, newTitle, visits, version);
        }
    }

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:sqlite:quickstart.db";
        try (Database db = Database.open(url)) {
            Page page = run(db);
            System.out.println(page);   // Page[id=1, title=Home page, visits=8000, version=8001]
        }
    }

    /** Counts 8 × 1,000 visits from 8 threads while renaming the page; returns the page as it ends up. */
    public static Page run(Database db) throws Exception {
        db.execute("drop table if exists page");
        db.execute("create table page (id bigint primary key, title varchar(100) not null,"
                + " visits bigint not null, version bigint not null)");
        Page home = db.insert(new Page(1L, "Home", 0, 0));

        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            running.add(threads.submit(() -> {
                for (int i = 0; i < 1_000; i++) {
                    // one atomic statement: UPDATE page SET visits = visits + 1 ... RETURNING *
                    db.update(Page.class, home.id(), set("visits", plus(1)));
                }
            }));
        }
        // a locked read-modify-write that writes only the column it changed
        db.modify(Page.class, home.id(), p -> p.withTitle("Home page"));
        for (Future<?> f : running) {
            f.get();
        }
        threads.shutdown();
        return db.get(Page.class, home.id());
    }
}
