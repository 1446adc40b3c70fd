package dev.holdfast;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.error.CommitOutcomeUnknownException;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TcpProxy;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reply to a write is lost after the server applied it: a proxy forwards the statement (or COMMIT), throws the
 * answer away and cuts the connection. The caller must hear "outcome unknown", never a plain failure it would repeat,
 * and Holdfast must not repeat it either.
 */
class CommitOutcomeUnknownProxyTest {

    @Table("counter")
    record Counter(@Id Long id, long n) {
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aLostReplyToCommitIsOutcomeUnknownAndTheCommitDidHappen(TestDatabase t) throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(t); Database db = throughProxy(t, proxy)) {
            db.execute("create table item (id int primary key)");
            AtomicInteger attempts = new AtomicInteger();
            proxy.dropReplyAfter("COMMIT");
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                attempts.incrementAndGet();
                tx.execute("insert into item values (1)");
            })).isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageContaining("may or may not have been committed");
            assertThat(proxy.awaitDropped(Duration.ofSeconds(30))).as("the server answered the COMMIT").isTrue();
            assertThat(attempts.get()).as("never retried").isEqualTo(1);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).as("it did commit").isEqualTo(1);
        }
    }

    /** Issue 10 item 2: an autocommit statement is its own commit. */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aLostReplyToAnAutocommitWriteIsOutcomeUnknown(TestDatabase t) throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(t); Database db = throughProxy(t, proxy)) {
            db.execute("create table item (id int primary key)");
            db.execute("create table counter (id bigint primary key, n bigint not null)");

            proxy.dropReplyAfter("insert into item");
            assertThatThrownBy(() -> db.execute("insert into item values (1)"))
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageContaining("may or may not have been committed");
            assertThat(proxy.awaitDropped(Duration.ofSeconds(30))).isTrue();

            proxy.dropReplyAfter("INSERT INTO " + (t.kind() == DatabaseKind.POSTGRES ? "\"counter\"" : "`counter`"));
            assertThatThrownBy(() -> db.insert(new Counter(7L, 0)))
                    .isInstanceOf(CommitOutcomeUnknownException.class);
            assertThat(proxy.awaitDropped(Duration.ofSeconds(30))).isTrue();

            if (t.kind() == DatabaseKind.POSTGRES) {   // on MariaDB this runs in a transaction (no RETURNING)
                proxy.dropReplyAfter("UPDATE \"counter\"");
                assertThatThrownBy(() -> db.update(Counter.class, 7L, set(Counter::n, plus(1))))
                        .isInstanceOf(CommitOutcomeUnknownException.class);
                assertThat(proxy.awaitDropped(Duration.ofSeconds(30))).isTrue();
            }

            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1);
            assertThat(db.get(Counter.class, 7L).n()).isEqualTo(t.kind() == DatabaseKind.POSTGRES ? 1 : 0);
        }
    }

    private static Database throughProxy(TestDatabase t, TcpProxy proxy) {
        Database.Builder b = Database.builder(proxy.url(t.url())).user(t.user()).retry(Retry.exponential(5,
                Duration.ofMillis(1), Duration.ofMillis(10)));
        if (t.password() != null && !t.password().isEmpty()) {
            b.password(t.password());
        }
        return b.build();
    }
}
