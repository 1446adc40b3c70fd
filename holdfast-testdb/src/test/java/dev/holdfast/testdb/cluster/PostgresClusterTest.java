package dev.holdfast.testdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresClusterTest {
    @RegisterExtension
    static final PostgresCluster cluster = PostgresCluster.builder().replicas(2).applyDelay(Duration.ofMillis(200)).build();

    @Test
    void replicasStreamFromThePrimaryAndRefuseWrites() throws SQLException {
        assertEquals(cluster.node(0), cluster.primary());
        try (Connection primary = cluster.primary().connect(); Statement st = primary.createStatement()) {
            st.execute("create table streamed (id int primary key)");
            st.execute("insert into streamed values (1)");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
        for (int i = 1; i <= 2; i++) {
            PostgresNode replica = cluster.replica(i);
            assertTrue(replica.isReplica());
            assertEquals("200ms", replica.queryString("show recovery_min_apply_delay"));
            try (Connection c = replica.connect(); Statement st = c.createStatement()) {
                assertEquals(1, count(st, "select count(*) from streamed"));
                SQLException refused = assertThrows(SQLException.class, () -> st.execute("insert into streamed values (2)"));
                assertEquals("25006", refused.getSQLState()); // read_only_sql_transaction
            }
        }
    }

    @Test
    void aReplicaWhoseReplayIsPausedMissesTheLatestWriteUntilItResumes() throws SQLException {
        PostgresNode replica = cluster.replica(1);
        try (Connection primary = cluster.primary().connect(); Statement st = primary.createStatement()) {
            st.execute("create table paused (id int primary key)");
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
            replica.execute("select pg_wal_replay_pause()");
            awaitPaused(replica);
            st.execute("insert into paused values (1)");
            try (Connection c = replica.connect(); Statement r = c.createStatement()) {
                assertEquals(0, count(r, "select count(*) from paused"));
                replica.execute("select pg_wal_replay_resume()");
                cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
                assertEquals(1, count(r, "select count(*) from paused"));
            }
        } finally {
            replica.execute("select pg_wal_replay_resume()");
        }
    }

    @Test
    void theMultiHostUrlFindsThePrimary() throws SQLException {
        String url = cluster.multiHostUrl();
        assertTrue(url.startsWith("jdbc:postgresql://127.0.0.1:15440,127.0.0.1:15441,127.0.0.1:15442/postgres"), url);
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement st = c.createStatement()) {
            assertEquals(0, count(st, "select pg_is_in_recovery()::int"));
        }
    }

    static void awaitPaused(PostgresNode replica) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!replica.queryString("select pg_get_wal_replay_pause_state()").equals("paused")) {
            assertTrue(System.nanoTime() < deadline, "replay of " + replica + " not paused after 30 s");
            LocalProcesses.sleep(Duration.ofMillis(10));
        }
    }

    static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
