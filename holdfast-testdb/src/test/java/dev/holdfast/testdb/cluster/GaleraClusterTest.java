package dev.holdfast.testdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GaleraClusterTest {
    @RegisterExtension
    static final GaleraCluster galera = GaleraCluster.builder().nodes(3).build();

    @Test
    void everyNodeIsSyncedInOneClusterOfThree() {
        for (GaleraNode node : galera.nodes()) {
            assertEquals("Synced", node.state());
            assertEquals("3", node.status("wsrep_cluster_size"));
        }
    }

    @Test
    void aWriteOnOneNodeIsReadOnAnotherWithSyncWait() throws SQLException {
        try (Connection one = galera.node(1).connect(); Connection three = galera.node(3).connect();
             Statement w = one.createStatement(); Statement r = three.createStatement()) {
            w.execute("create table replicated (id int primary key, n int not null)");
            w.execute("insert into replicated values (1, 41)");
            r.execute("set session wsrep_sync_wait = 1"); // reads wait until this node applied what the cluster committed
            try (ResultSet rs = r.executeQuery("select n from replicated where id = 1")) {
                rs.next();
                assertEquals(41, rs.getInt(1));
            }
        }
    }

    @Test
    void concurrentUpdatesOfOneRowOnTwoNodesFailTheLaterCommitWithDeadlock() throws SQLException {
        try (Connection setup = galera.node(1).connect(); Statement st = setup.createStatement()) {
            st.execute("create table contended (id int primary key, n int not null)");
            st.execute("insert into contended values (1, 0)");
        }
        try (Connection a = galera.node(1).connect(); Connection b = galera.node(2).connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sb.execute("set session wsrep_sync_wait = 1");
            sb.executeQuery("select n from contended where id = 1").close(); // node 2 has the row
            a.setAutoCommit(false);
            sa.execute("update contended set n = n + 1 where id = 1"); // node 1 holds the row lock, not yet certified
            sb.execute("update contended set n = n + 10 where id = 1"); // node 2 commits first: certified first
            SQLException lost = assertThrows(SQLException.class, () -> {
                sa.execute("update contended set n = n + 100 where id = 2"); // may already be brute-force aborted
                a.commit();
            });
            assertEquals(1213, lost.getErrorCode(), lost.toString()); // ER_LOCK_DEADLOCK: the certification conflict
            assertEquals("40001", lost.getSQLState());
        }
        try (Connection c = galera.node(3).connect(); Statement st = c.createStatement()) {
            st.execute("set session wsrep_sync_wait = 1");
            try (ResultSet rs = st.executeQuery("select n from contended where id = 1")) {
                rs.next();
                assertEquals(10, rs.getInt(1));
            }
        }
    }
}
