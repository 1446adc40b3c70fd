package dev.holdfast.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.error.CommitOutcomeUnknownException;
import dev.holdfast.Database;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.testdb.cluster.PostgresCluster;
import dev.holdfast.testdb.cluster.PostgresNode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A COMMIT the primary has not answered when it dies ends in CommitOutcomeUnknownException, never a silent retry. */
class CommitInFlightTest {
    @RegisterExtension
    static final PostgresCluster cluster = PostgresCluster.builder().replicas(1).build();

    @Test
    void aCommitInFlightWhenThePrimaryDiesIsOutcomeUnknownAndTheNextTransactionReachesThePromotedReplica() throws Exception {
        PostgresNode primary = cluster.node(0);
        try (Database db = Database.builder(cluster.multiHostUrl()).connectTimeout(Duration.ofSeconds(1)).build()) {
            db.execute("create table payment (id int primary key)");
            // Make the primary hold every COMMIT until a standby that never comes confirms it: the commit is then
            // written on the primary but unanswered, deterministically, when the primary dies.
            primary.execute("alter system set synchronous_standby_names = 'nobody'", "select pg_reload_conf()");
            // The reload is asynchronous: once a new session sees the setting the postmaster has reloaded and
            // signalled every backend, which rereads the file before its next statement.
            long reloaded = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!primary.queryString("show synchronous_standby_names").equals("nobody")) {
                assertThat(System.nanoTime()).as("synchronous_standby_names not reloaded after 60 s").isLessThan(reloaded);
                Thread.sleep(10);
            }
            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> inFlight = background.submit(() -> db.transact(tx -> tx.execute("insert into payment values (1)")));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Integer.parseInt(primary.queryString("select count(*)::text from pg_stat_activity where wait_event = 'SyncRep'")) == 0) {
                    assertThat(inFlight.isDone()).as("the COMMIT returned instead of waiting for the standby").isFalse();
                    assertThat(System.nanoTime()).as("no COMMIT waiting for the standby after 60 s").isLessThan(deadline);
                    Thread.sleep(10);
                }
                primary.kill();
                assertThatThrownBy(() -> inFlight.get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(CommitOutcomeUnknownException.class)
                        .hasMessageContaining("may or may not have been committed");
            } finally {
                background.shutdownNow();
            }

            cluster.replica(1).promote();
            int refused = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    db.execute("insert into payment values (2)");
                    break;
                } catch (HoldfastException e) {
                    refused++; // a pooled connection to the dead primary fails once before the pool replaces it
                    assertThat(System.nanoTime()).as("no transaction reached the promoted replica: " + e).isLessThan(deadline);
                }
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from payment where id = 2")).isEqualTo(1L);
            System.out.printf("commit-in-flight: CommitOutcomeUnknownException; the unanswered insert is %s on the promoted replica; "
                    + "%d attempt(s) failed before a transaction reached it%n",
                    db.queryScalar(Long.class, "select count(*) from payment where id = 1") == 1 ? "present" : "absent", refused);
        }
    }
}
