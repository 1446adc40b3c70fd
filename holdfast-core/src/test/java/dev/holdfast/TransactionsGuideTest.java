package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The examples of docs/transactions.md, kept compiling and passing. Change both together. */
class TransactionsGuideTest {

    @EachDatabase
    void theGuideRuns(TestDatabase t) {
        List<String> outbox = new CopyOnWriteArrayList<>();
        try (Database db = Database.builder(t.url()).user(t.user()).password(t.password())
                .retry(Retry.exponential(10, Duration.ofMillis(5), Duration.ofSeconds(1)))
                .listener(new LoggingStatementListener())
                .build()) {

            // --- guide: single statements
            db.execute("create table account (id int primary key, owner varchar(40) not null, balance int not null)");
            db.execute("insert into account values (?, ?, ?)", 1, "ada", 100);
            db.execute("insert into account values (?, ?, ?)", 2, "bob", 0);
            long balance = db.queryScalar(Long.class, "select balance from account where id = ?", 1);

            // --- guide: a transaction
            int from = 1;
            int to = 2;
            int amount = 30;
            db.useTransaction(tx -> {
                int taken = tx.execute("update account set balance = balance - ? where id = ? and balance >= ?",
                        amount, from, amount);
                if (taken == 0) {
                    throw new IllegalStateException("not enough money in account " + from);
                }
                tx.execute("update account set balance = balance + ? where id = ?", amount, to);
                tx.afterCommit(() -> outbox.add("moved " + amount + " from " + from + " to " + to));
            });

            // --- guide: reading
            List<String> owners = db.read(tx -> tx.query(rs -> rs.getString("owner"),
                    "select owner from account where balance > ? order by owner", 0));

            // --- guide: options for one transaction
            long total = db.transact(TransactionOptions.defaults()
                            .withIsolation(Isolation.SERIALIZABLE)
                            .withTimeout(Duration.ofSeconds(5)),
                    tx -> tx.queryScalar(Long.class, "select sum(balance) from account"));

            assertThat(balance).isEqualTo(100);
            assertThat(owners).containsExactly("ada", "bob");
            assertThat(total).isEqualTo(100);
            assertThat(outbox).containsExactly("moved 30 from 1 to 2");
        }
    }
}
