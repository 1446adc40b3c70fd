package dev.holdfast;

import dev.holdfast.error.CommitOutcomeUnknownException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

class CommitOutcomeUnknownTest {

    /**
     * The server ends the session just as COMMIT is about to be sent: the client cannot know whether the commit
     * happened, so Holdfast must say so and must not run the transaction a second time.
     */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aConnectionLostAtCommitIsReportedAndNotRetried(TestDatabase t) throws Exception {
        AtomicLong sessionToKill = new AtomicLong(-1);
        StatementListener killAtCommit = new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement s) {
                if (s.kind() == SqlStatement.Kind.COMMIT && sessionToKill.get() > 0) {
                    try (Connection admin = t.connect(); Statement st = admin.createStatement()) {
                        st.execute(t.kind() == DatabaseKind.POSTGRES
                                ? "select pg_terminate_backend(" + sessionToKill.get() + ")"
                                : "kill " + sessionToKill.get());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(killAtCommit))) {
            db.execute("create table item (id int primary key)");
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                attempts.incrementAndGet();
                sessionToKill.set(tx.queryScalar(Long.class, t.kind() == DatabaseKind.POSTGRES
                        ? "select pg_backend_pid()" : "select connection_id()"));
                tx.execute("insert into item values (1)");
            })).isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageContaining("may or may not have been committed");
            sessionToKill.set(-1);
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
        }
    }
}
