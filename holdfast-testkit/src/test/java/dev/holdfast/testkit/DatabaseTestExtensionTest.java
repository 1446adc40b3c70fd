package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.testdb.TestDatabase;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;

/** Seed 002: "roll each test back even when the code under test commits". */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseTestExtensionTest {

    static void schema(Database db) {
        db.execute("create table account (id int primary key, balance int not null)");
        db.execute("insert into account (id, balance) values (1, 100)");
    }

    @Order(1)
    @DatabaseTest(isolation = TestIsolation.ROLLBACK, setup = "schema")
    void codeThatCommitsRunsAsUsual(Database db) {
        db.transact(tx -> tx.execute("insert into account (id, balance) values (2, 50)"));
        db.transact(tx -> tx.execute("update account set balance = balance - 10 where id = 1"));
        assertThatThrownBy(() -> db.transact(tx -> {
            tx.execute("update account set balance = 0 where id = 2");
            throw new IllegalStateException("the code under test fails after a write");
        })).hasMessageContaining("fails after a write");

        assertThat(db.queryScalar(Long.class, "select sum(balance) from account")).isEqualTo(140L);
    }

    @Order(2)
    @DatabaseTest(isolation = TestIsolation.ROLLBACK, setup = "schema")
    void theNextTestSeesNoneOfItsCommits(Database db) {
        assertThat(db.queryScalar(Long.class, "select count(*) from account")).isEqualTo(1L);
        assertThat(db.queryScalar(Long.class, "select balance from account where id = 1")).isEqualTo(100L);
    }

    @Order(3)
    @DatabaseTest(isolation = TestIsolation.CLONE, setup = "schema")
    void aCloneServesRealConcurrency(Database db, TestDatabase tdb) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Runnable deposits = () -> {
                for (int i = 0; i < 20; i++) {
                    db.transact(tx -> tx.execute("update account set balance = balance + 1 where id = 1"));
                }
            };
            Future<?> a = pool.submit(deposits);
            Future<?> b = pool.submit(deposits);
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
        assertThat(db.queryScalar(Long.class, "select balance from account where id = 1")).isEqualTo(140L);
        assertThat(tdb.url()).isNotBlank();
    }

    @Order(4)
    @DatabaseTest(isolation = TestIsolation.CLONE, setup = "schema")
    void eachCloneStartsFromTheSetup(Database db) {
        assertThat(db.queryScalar(Long.class, "select balance from account where id = 1")).isEqualTo(100L);
    }
}
