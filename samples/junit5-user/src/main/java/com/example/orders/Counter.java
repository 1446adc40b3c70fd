package com.example.orders;

import dev.holdfast.Database;

/** The user's code under test: a counter that many requests increment at once. */
public final class Counter {
    private final Database db;

    public Counter(Database db) {
        this.db = db;
    }

    /** One atomic statement: no read-modify-write, so no increment is lost. */
    public void increment(int id) {
        db.transact(tx -> tx.execute("update counter set n = n + 1 where id = ?", id));
    }
}
