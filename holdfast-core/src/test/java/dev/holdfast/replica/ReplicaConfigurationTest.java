package dev.holdfast.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Replicas where Holdfast could not keep read-your-writes are refused when the Database is built. */
class ReplicaConfigurationTest {
    @Test
    void aMariaDbReplicaOutsideGaleraIsRefusedBecauseItsPositionCannotBeKnown() {
        try (TestDatabase t = TestDatabases.fresh(DatabaseKind.MARIADB)) {
            assertThatThrownBy(() -> Database.builder(t.url()).user(t.user()).password(t.password()).replica(t.url()).build())
                    .isInstanceOf(HoldfastException.class)
                    .hasMessageContaining("needs a Galera cluster")
                    .hasMessageContaining("stale reads");
            // Without replicas nothing changes: no token, reads on the one server.
            try (Database db = Database.builder(t.url()).user(t.user()).password(t.password()).build()) {
                assertThat(db.lastCommit()).isEqualTo(CausalToken.none());
                assertThat((Long) db.read(ReadOptions.after(CausalToken.none()), tx -> tx.queryScalar(Long.class, "select 1"))).isEqualTo(1L);
            }
        }
    }

    @Test
    void sqliteHasNoReplicas() {
        try (TestDatabase t = TestDatabases.fresh(DatabaseKind.SQLITE)) {
            assertThatThrownBy(() -> Database.builder(t.url()).replica("jdbc:sqlite:/tmp/other.db").build())
                    .isInstanceOf(HoldfastException.class)
                    .hasMessageContaining("sqlite has no replicas");
        }
    }

    @Test
    void aNegativeWaitIsRefusedWithTheValue() {
        assertThatThrownBy(() -> Database.builder("jdbc:postgresql://localhost/x").replicaWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> ReadOptions.defaults().maxWait(Duration.ofSeconds(-2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-2S");
    }
}
