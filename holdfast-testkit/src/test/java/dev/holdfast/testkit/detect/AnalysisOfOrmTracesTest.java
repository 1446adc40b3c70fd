package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The analysis on transactions shaped like Hibernate 6's (aliased selects, full-row updates, version predicates),
 * without a database: what decides a finding is the SQL, the database kind and the isolation level.
 */
class AnalysisOfOrmTracesTest {
    private static final Catalogue ACCOUNTS = Catalogue.of(DatabaseKind.POSTGRES,
            Map.of("account", List.of(Set.of("id"))));

    private static RecordedStatement st(String sql, Object... params) {
        return new RecordedStatement(sql, Arrays.asList(params), Duration.ZERO);
    }

    private static RecordedTransaction tx(DatabaseKind db, String isolation, RecordedStatement... statements) {
        return new RecordedTransaction("connection-1 (main)", db, isolation, List.of(statements), Ending.COMMIT);
    }

    private static final RecordedStatement FIND = st(
            "select a1_0.id,a1_0.balance,a1_0.owner from account a1_0 where a1_0.id=?", 1L);

    @Test
    void findSetFlushWithoutVersionIsALostUpdateAtReadCommitted() {
        Report r = RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "READ COMMITTED", FIND,
                st("update account set balance=?,owner=? where id=?", 90L, "ann", 1L))), ACCOUNTS);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.LOST_UPDATE);
            assertThat(f.status()).isEqualTo(Finding.Status.SUSPECTED);
            assertThat(f.tables()).containsExactly("account");
            assertThat(f.statements()).hasSize(2);
        });
    }

    @Test
    void withVersionTheUpdateIsGuarded() {
        Report r = RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "READ COMMITTED",
                st("select a1_0.id,a1_0.balance,a1_0.owner,a1_0.version from account a1_0 where a1_0.id=?", 1L),
                st("update account set balance=?,owner=?,version=? where id=? and version=?", 90L, "ann", 1, 1L, 0))),
                ACCOUNTS);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void theSameTransactionIsSafeAtPostgresRepeatableReadButNotAtMariaDbRepeatableRead() {
        RecordedStatement save = st("update account set balance=?,owner=? where id=?", 90L, "ann", 1L);
        assertThat(RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "REPEATABLE READ", FIND, save)), ACCOUNTS)
                .findings()).isEmpty();
        assertThat(RaceDetector.analyse(List.of(tx(DatabaseKind.MARIADB, "REPEATABLE READ", FIND, save)), ACCOUNTS)
                .findings()).extracting(Finding::kind).containsExactly(Finding.Kind.LOST_UPDATE);
        assertThat(RaceDetector.analyse(List.of(tx(DatabaseKind.SQLITE, "SERIALIZABLE", FIND, save)), ACCOUNTS)
                .findings()).isEmpty();
    }

    @Test
    void aReadAndAWriteInTwoTransactionsLoseEverywhere() {
        for (DatabaseKind db : DatabaseKind.values()) {
            Report r = RaceDetector.analyse(List.of(tx(db, "SERIALIZABLE", FIND),
                    tx(db, "SERIALIZABLE", st("update account set balance=?,owner=? where id=?", 90L, "ann", 1L))),
                    ACCOUNTS);
            assertThat(r.findings()).as(db.toString()).extracting(Finding::kind)
                    .containsExactly(Finding.Kind.LOST_UPDATE);
            assertThat(r.findings().get(0).reason()).contains("different transactions");
        }
    }

    @Test
    void aLockedReadOrAnAtomicUpdateIsNotFlagged() {
        Report locked = RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "READ COMMITTED",
                st("select a1_0.id,a1_0.balance,a1_0.owner from account a1_0 where a1_0.id=? for no key update", 1L),
                st("update account set balance=?,owner=? where id=?", 90L, "ann", 1L))), ACCOUNTS);
        assertThat(locked.findings()).isEmpty();
        Report atomic = RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "READ COMMITTED", FIND,
                st("update account set balance = balance - ? where id = ?", 10L, 1L))), ACCOUNTS);
        assertThat(atomic.findings()).isEmpty();
    }

    @Test
    void repeatedTransactionsAreOneFindingCounted() {
        RecordedStatement save = st("update account set balance=?,owner=? where id=?", 90L, "ann", 1L);
        Report r = RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "READ COMMITTED", FIND, save),
                tx(DatabaseKind.POSTGRES, "READ COMMITTED", FIND, save)), ACCOUNTS);
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.occurrences()).isEqualTo(2));
    }

    @Test
    void unparseableSqlIsListedAndSkipped() {
        Report r = RaceDetector.analyse(List.of(tx(DatabaseKind.POSTGRES, "READ COMMITTED",
                st("merge wat into nowhere"), FIND)), ACCOUNTS);
        assertThat(r.findings()).isEmpty();
        assertThat(r.unparsed()).containsExactly("merge wat into nowhere");
        assertThat(r.toText()).contains("could not be parsed and were skipped");
    }
}
