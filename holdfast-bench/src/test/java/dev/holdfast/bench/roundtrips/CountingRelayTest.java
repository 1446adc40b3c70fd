package dev.holdfast.bench.roundtrips;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.bench.peers.Counter;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The relay's count is the round trips the drivers make: known cases, counted through it. MariaDB's atomic update
 * agrees with holdfast-core's MariaDbRoundTripTest, which counts with the server's own {@code Questions} counter.
 */
class CountingRelayTest {

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void rawJdbcSelectOneIsOneRoundTrip(TestDatabase t) throws Exception {
        try (CountingRelay relay = CountingRelay.inFrontOf(t.url());
             Connection c = DriverManager.getConnection(relay.url(t.url()));
             Statement s = c.createStatement()) {
            double perCall = RoundTrips.perCall(relay, 20, () -> {
                try (ResultSet rs = s.executeQuery("select 1")) {
                    rs.next();
                }
            });
            assertThat(perCall).isEqualTo(1.0);
        }
    }

    /** An explicit transaction: on MariaDB Connector/J {@code set autocommit=0}, UPDATE, COMMIT, {@code set autocommit=1}. */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aJdbcTransactionCountsItsBoundaries(TestDatabase t) throws Exception {
        try (CountingRelay relay = CountingRelay.inFrontOf(t.url());
             Connection c = DriverManager.getConnection(relay.url(t.url()));
             Statement s = c.createStatement()) {
            s.execute("create table counter (id bigint primary key, n bigint not null, version bigint not null)");
            s.execute("insert into counter values (1, 0, 0)");
            double perCall = RoundTrips.perCall(relay, 20, () -> {
                c.setAutoCommit(false);
                s.executeUpdate("update counter set n = n + 1 where id = 1");
                c.commit();
                c.setAutoCommit(true);
            });
            // pgjdbc sends BEGIN with the UPDATE and changes autocommit without a message
            assertThat(perCall).isEqualTo(t.kind() == DatabaseKind.MARIADB ? 4.0 : 2.0);
        }
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void holdfastAtomicUpdateIsOneRoundTripOnPostgresAndMariaDb(TestDatabase t) throws Exception {
        try (CountingRelay relay = CountingRelay.inFrontOf(t.url());
             Database db = Database.builder(relay.url(t.url())).poolSize(1).build()) {
            db.execute("create table counter (id bigint primary key, n bigint not null, version bigint not null)");
            db.execute("insert into counter values (1, 0, 0)");
            double update = RoundTrips.perCall(relay, 20, () -> db.update(Counter.class, 1L, set(Counter::n, plus(1))));
            double apply = RoundTrips.perCall(relay, 20, () -> db.apply(Counter.class, 1L, set(Counter::n, plus(1))));
            // MariaDB: one compound statement (BEGIN NOT ATOMIC UPDATE ...; SELECT ...; END), docs/records.md
            assertThat(update).as("update(set(plus))").isEqualTo(1.0);
            assertThat(apply).as("apply(set(plus))").isEqualTo(1.0);
            assertThat(db.get(Counter.class, 1L).n()).as("every call counted applied").isEqualTo(2 * (10 + 3 * 20));
        }
    }
}
