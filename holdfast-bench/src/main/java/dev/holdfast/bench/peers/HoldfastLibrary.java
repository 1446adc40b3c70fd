package dev.holdfast.bench.peers;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;

import dev.holdfast.Database;
import java.util.ArrayList;
import java.util.List;

/** Holdfast as its guide (docs/records.md) says to use it. */
final class HoldfastLibrary implements Library {
    private final Database db;

    HoldfastLibrary(Database db) {
        this.db = db;
    }

    @Override
    public Thing get(long id) {
        return db.get(Thing.class, id);
    }

    @Override
    public long insert(int i) {
        return db.insert(new Thing(null, i, i, "new-" + i, 0)).id();
    }

    @Override
    public int insertBatch(int first, int count) {
        List<Thing> rows = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            rows.add(new Thing(null, i, i, "new-" + i, 0));
        }
        return db.transact(tx -> tx.insertAll(rows));
    }

    /** {@code modify}: locked read, UPDATE of the changed column (and the version), commit. */
    @Override
    public void change(long id, int foo) {
        db.modify(Thing.class, id, t -> t.withFoo(foo));
    }

    /** The atomic form: one {@code UPDATE ... RETURNING}, autocommit. */
    void changeSet(long id, int foo) {
        db.update(Thing.class, id, set("foo", foo));
    }

    @Override
    public Increment increment(String variant) {
        return switch (variant) {
            case "modify" -> () -> {
                db.modify(Counter.class, 1L, c -> c.withN(c.n() + 1));
                return 0;
            };
            case "atomic" -> () -> {
                db.update(Counter.class, 1L, set(Counter::n, plus(1)));
                return 0;
            };
            case "apply" -> () -> {
                // the row-count-only form: the same UPDATE without RETURNING (and on MariaDB without the read back)
                db.apply(Counter.class, 1L, set(Counter::n, plus(1)));
                return 0;
            };
            case "execute" -> () -> {
                // Holdfast's plain-SQL path: the same statement as raw JDBC's, nothing returned
                db.execute("update counter set n = n + 1 where id = ?", 1);
                return 0;
            };
            default -> throw new IllegalArgumentException("holdfast has no counter variant " + variant);
        };
    }
}
