package dev.holdfast.testdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresFailoverTest {
    @RegisterExtension
    static final PostgresCluster cluster = PostgresCluster.builder().replicas(1).synchronous(true).build();

    @Test
    void aSynchronousCommitSurvivesTheLossOfThePrimary() throws SQLException {
        assertEquals("sync", cluster.node(0).queryString("select sync_state from pg_stat_replication"));
        try (Connection c = DriverManager.getConnection(cluster.multiHostUrl()); Statement st = c.createStatement()) {
            st.execute("create table acknowledged (id int primary key)");
            for (int i = 0; i < 100; i++) {
                st.execute("insert into acknowledged values (" + i + ")");
            }
        }
        cluster.node(0).kill();
        cluster.replica(1).promote();

        assertEquals(cluster.replica(1), cluster.primary());
        assertFalse(cluster.node(0).isRunning());
        try (Connection c = DriverManager.getConnection(cluster.multiHostUrl()); Statement st = c.createStatement()) {
            assertEquals(100, PostgresClusterTest.count(st, "select count(*) from acknowledged"));
            st.execute("insert into acknowledged values (100)"); // the promoted node takes writes
        }
    }
}
