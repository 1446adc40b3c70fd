package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Actor connections are kept across the schedules of an exploration: what one schedule leaves in a session — a
 * setting, a temporary table, a session-level advisory or named lock, a user variable, the isolation level set through
 * JDBC — must not reach the next one.
 */
class ConnectionReuseTest {

    /** What an actor sees of its session at its start; the same in every schedule when nothing leaks. */
    private static String check(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRES -> "select current_setting('statement_timeout'), current_setting('transaction_isolation'), "
                    + "(select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()), "
                    + "to_regclass('pg_temp.leftover') is null, pg_backend_pid()";
            case MARIADB -> "select @@session.innodb_lock_wait_timeout = @@global.innodb_lock_wait_timeout, "
                    + "@@session.tx_isolation, coalesce(is_used_lock('hf_A') = connection_id(), 0) "
                    + "+ coalesce(is_used_lock('hf_B') = connection_id(), 0), @leftover is null, connection_id()";
            case SQLITE -> "select 'x', 'x', 0, 1, 0";
        };
    }

    private static List<String> leaveBehind(DatabaseKind kind, String actor) {
        return switch (kind) {
            case POSTGRES -> List.of("set statement_timeout = 12345", "create temp table leftover (x int)",
                    "select pg_advisory_lock(" + (actor.equals("A") ? 41 : 42) + ")");
            case MARIADB -> List.of("set session innodb_lock_wait_timeout = 7", "create temporary table leftover (x int)",
                    "select get_lock('hf_" + actor + "', 0)", "set @leftover = 1");
            case SQLITE -> List.of("create temp table leftover (x int)");
        };
    }

    private record Seen(String session, long id) {
    }

    private static JdbcActor leaky(DatabaseKind kind, String name, List<Seen> seen) {
        return ds -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery(check(kind))) {
                    rs.next();
                    seen.add(new Seen(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " "
                            + rs.getBoolean(4) + " jdbc isolation " + c.getTransactionIsolation()
                            + " read-only " + c.isReadOnly(), rs.getLong(5)));
                }
                for (String sql : leaveBehind(kind, name)) {
                    st.execute(sql);
                }
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                if (kind != DatabaseKind.SQLITE) {
                    c.setReadOnly(true);
                }
            }
        };
    }

    private static Exploration explore(TestDatabase tdb, List<Seen> seen, boolean fresh) {
        Interleaver.Builder b = Interleaver.on(tdb)
                .setup(db -> db.execute("create table t (id int primary key)"))
                .jdbcActor("A", leaky(tdb.kind(), "A", seen))
                .jdbcActor("B", leaky(tdb.kind(), "B", seen))
                .everyActorSucceeds()
                .maxSchedules(8);
        return (fresh ? b.freshConnections() : b).build().explore();
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB, DatabaseKind.SQLITE})
    void nothingASessionWasLeftWithReachesTheNextSchedule(TestDatabase tdb) throws SQLException {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Exploration e = explore(tdb, seen, false);

        e.assertNoFailures();   // a leaked temp table would fail "create temp table leftover"
        int schedules = tdb.kind() == DatabaseKind.SQLITE ? 6 : 8;   // SQLite's actors take 2 steps: C(4, 2) orders
        assertThat(e.schedules()).isEqualTo(schedules);
        assertThat(seen).hasSize(2 * schedules);
        assertThat(seen.stream().map(Seen::session).distinct().toList()).as("sessions seen").hasSize(1);
        Set<Long> ids = new HashSet<>();
        seen.forEach(s -> ids.add(s.id()));
        if (tdb.kind() != DatabaseKind.SQLITE) {
            assertThat(ids).as("connections were kept across schedules").hasSizeLessThanOrEqualTo(2);
        }
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void freshConnectionsOpensNewOnesForEverySchedule(TestDatabase tdb) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        explore(tdb, seen, true).assertNoFailures();
        assertThat(seen.stream().map(Seen::id).distinct().count()).isEqualTo(16);
        assertThat(seen.stream().map(Seen::session).distinct().toList()).hasSize(1);
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aConnectionWhoseStepFailedIsNotKept(TestDatabase tdb) {
        List<Long> ids = new CopyOnWriteArrayList<>();
        JdbcActor failing = ds -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery(tdb.kind() == DatabaseKind.POSTGRES ? "select pg_backend_pid()"
                        : "select connection_id()")) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
                st.execute("select * from no_such_table");
            } catch (SQLException expected) {
                // the actor's outcome
            }
        };
        Interleaver.on(tdb).jdbcActor("A", failing).build().explore();
        Interleaver il = Interleaver.on(tdb).jdbcActor("A", failing).jdbcActor("B", failing).maxSchedules(4).build();
        il.explore();
        assertThat(ids.stream().distinct().count()).isEqualTo(ids.size());
    }
}
