package dev.holdfast.record;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import dev.holdfast.testdb.DatabaseKind;

/** Records and tables shared by the record tests. */
final class TestRecords {
    private TestRecords() {
    }

    @Table("thing")
    record Thing(@Id Long id, int foo, int bar, @Version long version) {
        Thing withFoo(int v) {
            return new Thing(id, v, bar, version);
        }

        Thing withBar(int v) {
            return new Thing(id, foo, v, version);
        }
    }

    @Table("counter")
    record Counter(@Id Long id, long count, String note) {
        Counter withCount(long c) {
            return new Counter(id, c, note);
        }
    }

    /** A generated primary key column for this database. */
    static String generatedId(DatabaseKind kind) {
        return switch (kind) {
            case SQLITE -> "id integer primary key autoincrement";
            case POSTGRES -> "id bigserial primary key";
            case MARIADB -> "id bigint auto_increment primary key";
        };
    }

    static void createTables(Database db, DatabaseKind kind) {
        db.execute("create table thing (" + generatedId(kind) + ", foo int not null, bar int not null, "
                + "version bigint not null)");
        db.execute("create table counter (" + generatedId(kind) + ", count bigint not null, note varchar(100))");
    }
}
