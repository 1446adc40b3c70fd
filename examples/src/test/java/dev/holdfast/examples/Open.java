package dev.holdfast.examples;

import dev.holdfast.Database;
import dev.holdfast.testdb.TestDatabase;

/** Opens a {@link Database} on a test database. */
final class Open {
    private Open() {
    }

    static Database database(TestDatabase t) {
        Database.Builder b = Database.builder(t.url());
        if (t.user() != null) {
            b.user(t.user());
        }
        if (t.password() != null) {
            b.password(t.password());
        }
        return b.build();
    }
}
