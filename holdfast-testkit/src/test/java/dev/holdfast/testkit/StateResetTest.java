package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every schedule starts from exactly the state the setup produced — rows, and the sequences and AUTO_INCREMENT
 * counters that hand out generated ids — whether the setup ran again before it or the tables were restored from the
 * snapshot taken after its first run (the default on PostgreSQL and MariaDB). Ids handed out by a schedule (committed,
 * or consumed by a rolled-back insert) must not move the next schedule's ids, or a replayed prefix would diverge.
 */
class StateResetTest {

    private static List<String> setup(DatabaseKind kind) {
        List<String> ddl = switch (kind) {
            case POSTGRES -> List.of(
                    "create table owner (id serial primary key, name text not null)",
                    "create table item (id bigint generated always as identity primary key, "
                            + "owner_id int not null references owner (id) on delete cascade, who text not null, "
                            + "tag bigint, label text generated always as ('#' || id::text) stored)",
                    "create index item_who on item (who)",
                    "create table counter (id int primary key, n int not null)",
                    "create sequence ticket");
            case MARIADB -> List.of(
                    "create table owner (id int auto_increment primary key, name varchar(20) not null)",
                    "create table item (id bigint auto_increment primary key, owner_id int not null, "
                            + "who varchar(10) not null, tag bigint, label varchar(30) as (concat('#', id)) virtual, "
                            + "index item_who (who), foreign key (owner_id) references owner (id) on delete cascade)",
                    "create table counter (id int primary key, n int not null)");
            case SQLITE -> List.of(
                    "create table owner (id integer primary key autoincrement, name text not null)",
                    "create table item (id integer primary key autoincrement, owner_id int not null "
                            + "references owner (id) on delete cascade, who text not null, tag int)",
                    "create index item_who on item (who)",
                    "create table counter (id int primary key, n int not null)");
        };
        List<String> all = new ArrayList<>(ddl);
        all.addAll(List.of(
                "insert into owner (name) values ('ann')", "insert into owner (name) values ('bob')",
                "insert into item (owner_id, who) values (1, 'x')", "insert into item (owner_id, who) values (2, 'y')",
                "insert into item (owner_id, who) values (2, 'z')",
                // a gap the setup leaves: the next id is 4, not 3 (and a TRUNCATE + INSERT alone would say 3)
                "delete from item where who = 'z'",
                "insert into counter (id, n) values (1, 0)"));
        if (kind == DatabaseKind.POSTGRES) {
            all.add("select nextval('ticket')");
            all.add("select nextval('ticket')");
        }
        return all;
    }

    /** Inserts an item with a generated id (and a ticket on PostgreSQL) and renames an owner, in one transaction. */
    private static Actor inserter(DatabaseKind kind) {
        return db -> db.transact(tx -> {
            tx.execute("insert into item (owner_id, who, tag) values (1, 'A', " + tag(kind) + ")");
            return tx.execute("update owner set name = 'by A' where id = 2");
        });
    }

    private static String tag(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRES ? "nextval('ticket')" : "null";
    }

    /** Takes an id and gives it back: the insert is rolled back, a sequence or AUTO_INCREMENT counter is not. */
    private static Actor rollsBack(List<Long> consumed) {
        return db -> {
            try {
                db.transact(tx -> {
                    consumed.add(tx.queryScalar(Long.class,
                            "insert into item (owner_id, who) values (2, 'C') returning id"));
                    throw new IllegalStateException("rolled back on purpose");
                });
            } catch (IllegalStateException expected) {
                // the outcome this actor is for
            }
        };
    }

    private static Interleaver build(TestDatabase tdb, boolean rerunSetup, List<Long> consumed) {
        DatabaseKind kind = tdb.kind();
        Interleaver.Builder b = Interleaver.on(tdb)
                .setup(db -> {
                    for (String sql : setup(kind)) {
                        if (sql.startsWith("select")) {
                            db.queryScalar(Long.class, sql);
                        } else {
                            db.execute(sql);
                        }
                    }
                })
                .actor("A", inserter(kind))
                .actor("B", db -> db.execute("insert into item (owner_id, who, tag) values (1, 'B', " + tag(kind) + ")"))
                .actor("C", rollsBack(consumed))
                .finalState("select i.id, i.owner_id, i.who, i.tag, o.name, c.n from item i join owner o on o.id = "
                        + "i.owner_id join counter c on c.id = 1 order by i.id")
                .invariant("ids continue where the setup left them", db -> {
                    List<Long> ids = new ArrayList<>(db.query(rs -> rs.getLong(1),
                            "select id from item where who in ('A', 'B') order by id"));
                    assertThat(db.query(rs -> rs.getLong(1), "select id from item where who in ('x', 'y') order by id"))
                            .containsExactly(1L, 2L);
                    if (kind == DatabaseKind.SQLITE) {
                        // AUTOINCREMENT's sqlite_sequence row is rolled back with the insert
                        assertThat(ids).containsExactly(4L, 5L);
                    } else {
                        // C's rolled-back insert took one of 4, 5, 6 for good
                        ids.add(consumed.get(consumed.size() - 1));
                        assertThat(ids).containsExactlyInAnyOrder(4L, 5L, 6L);
                    }
                    if (kind == DatabaseKind.POSTGRES) {
                        assertThat(db.query(rs -> rs.getLong(1), "select tag from item where who in ('A', 'B') order by tag"))
                                .containsExactly(3L, 4L);
                        assertThat(db.query(rs -> rs.getString(1), "select label from item where who = 'A'"))
                                .allMatch(l -> l.matches("#[456]"));
                    }
                })
                .everyActorSucceeds()
                .maxSchedules(200);
        return (rerunSetup ? b.rerunSetup() : b).build();
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB, DatabaseKind.SQLITE})
    void generatedIdsStartWhereTheSetupLeftThemInEverySchedule(TestDatabase tdb) {
        List<Long> consumed = new CopyOnWriteArrayList<>();
        Interleaver restoring = build(tdb, false, consumed);
        Exploration restored = restoring.explore();
        Exploration setUp = build(tdb, true, consumed).explore();

        assertThat(restored.complete()).isTrue();
        assertThat(restored.schedules()).isGreaterThan(10);
        restored.assertNoFailures();
        setUp.assertNoFailures();
        // the same schedules, in the same order, with the same outcomes (the ids, owner, counter) as setting up anew
        assertThat(restored.runs()).hasSameSizeAs(setUp.runs());
        for (int i = 0; i < restored.runs().size(); i++) {
            assertThat(restored.runs().get(i).schedule()).isEqualTo(setUp.runs().get(i).schedule());
            assertThat(restored.runs().get(i).outcome()).isEqualTo(setUp.runs().get(i).outcome());
        }
        assertThat(restored.outcomes()).hasSizeGreaterThan(1);
        if (tdb.kind() == DatabaseKind.SQLITE) {
            assertThat(restoring.lastStateResets).isEqualTo("set up " + restored.schedules() + ", restored 0");
        } else {
            assertThat(restoring.lastStateResets)
                    .isEqualTo("set up 1, restored " + (restored.schedules() - 1));
        }
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aScheduleThatChangesTheSchemaIsSetUpAgain(TestDatabase tdb) {
        Interleaver il = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table t (id int primary key, n int not null)");
                    db.execute("insert into t (id, n) values (1, 0)");
                })
                // each fails when what the other schedule did is still there
                .actor("A", db -> db.execute("create table side (id int)"))
                .actor("B", db -> db.execute("alter table t add column extra int"))
                .actor("C", db -> db.execute("update t set n = n + 1 where id = 1"))
                .finalState("select n from t")
                .everyActorSucceeds()
                .build();
        Exploration e = il.explore();

        e.assertNoFailures();
        assertThat(e.schedules()).isGreaterThan(2);
        assertThat(e.outcomes().keySet()).containsExactly("[(1)]");
        assertThat(il.lastStateResets).isEqualTo("set up " + e.schedules() + ", restored 0; no snapshot: a schedule "
                + "changed the schema (DDL)");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aRowChangedAndSetBackIsStillRestoredAndUntouchedTablesAreLeftAlone(TestDatabase tdb) {
        Interleaver il = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table t (id int primary key, n int not null)");
                    // a delete of t must not cascade into quiet, nor a TRUNCATE of t be refused for it
                    db.execute("create table quiet (id int primary key, t_id int not null, "
                            + "foreign key (t_id) references t (id) on delete cascade)");
                    db.execute("insert into t (id, n) values (1, 0), (2, 0)");
                    db.execute("insert into quiet (id, t_id) values (1, 1)");
                })
                .actor("A", db -> db.transact(tx -> tx.execute("update t set n = n + 1 where id = 1")))
                .actor("B", db -> db.transact(tx -> tx.execute("update t set n = n - 1 where id = 1")))
                .finalState("select id, n from t order by id")
                .invariant("nothing else moved", db -> {
                    assertThat(db.queryScalar(Long.class, "select count(*) from quiet")).isEqualTo(1L);
                    assertThat(db.queryScalar(Long.class, "select n from t where id = 2")).isEqualTo(0L);
                })
                .everyActorSucceeds()
                .build();
        Exploration e = il.explore();

        e.assertNoFailures();
        assertThat(e.outcomes().keySet()).containsExactly("[(1, 0), (2, 0)]");
        assertThat(il.lastStateResets).isEqualTo("set up 1, restored " + (e.schedules() - 1));
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aSetupWithATriggerIsSetUpEveryTime(TestDatabase tdb) {
        boolean pg = tdb.kind() == DatabaseKind.POSTGRES;
        Interleaver il = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table t (id int primary key, n int not null)");
                    db.execute("create table audit (n int not null)");
                    if (pg) {
                        db.execute("create function audit_t() returns trigger language plpgsql as "
                                + "$$ begin insert into audit (n) values (new.n); return new; end $$");
                        db.execute("create trigger t_audit after insert or update on t for each row "
                                + "execute function audit_t()");
                    } else {
                        db.execute("create trigger t_audit after update on t for each row "
                                + "insert into audit (n) values (new.n)");
                    }
                    db.execute("insert into t (id, n) values (1, 0)");
                })
                .actor("A", db -> db.execute("update t set n = n + 1 where id = 1"))
                .actor("B", db -> db.execute("update t set n = n + 10 where id = 1"))
                .finalState("select n from t")
                .invariant("one audit row per update", db -> assertThat(db.queryScalar(Long.class,
                        "select count(*) from audit")).isEqualTo(pg ? 3L : 2L))
                .build();
        Exploration e = il.explore();

        e.assertNoFailures();
        assertThat(il.lastStateResets).startsWith("set up " + e.schedules() + ", restored 0; no snapshot: the ");
    }
}
