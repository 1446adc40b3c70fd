package dev.holdfast.testkit.detect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SQL analysis on statements ORMs and people send. */
class SqlAnalysisTest {

    @Test
    void hibernatesFullRowUpdateIsAbsoluteWithItsKey() throws Exception {
        SqlFacts f = SqlAnalysis.analyse("update account set balance=?, owner=? where id=?", List.of(90, "ann", 7L));
        assertThat(f.type()).isEqualTo(SqlFacts.Type.UPDATE);
        assertThat(f.table()).isEqualTo("account");
        assertThat(f.absoluteSets()).containsExactly("balance", "owner");
        assertThat(f.relativeSets()).isEmpty();
        assertThat(f.keys()).isEqualTo(Map.of("id", List.of("7")));
        assertThat(f.versionColumns()).isEmpty();
        assertThat(f.guards()).isEmpty();
    }

    @Test
    void hibernatesVersionedUpdateHasAVersionPredicate() throws Exception {
        SqlFacts f = SqlAnalysis.analyse("update account set balance=?, owner=?, version=? where id=? and version=?",
                List.of(90, "ann", 4, 7L, 3));
        assertThat(f.versionColumns()).containsExactly("version");
        assertThat(f.keys()).containsEntry("id", List.of("7")).containsEntry("version", List.of("3"));
    }

    @Test
    void anAtomicIncrementIsRelative() throws Exception {
        SqlFacts f = SqlAnalysis.analyse("UPDATE \"counter\" SET \"n\" = \"n\" + ?, \"version\" = \"version\" + 1 "
                + "WHERE \"id\" = ? RETURNING \"id\", \"n\"", List.of(1, 1));
        assertThat(f.relativeSets()).containsExactly("n", "version");
        assertThat(f.absoluteSets()).isEmpty();
        SqlFacts maria = SqlAnalysis.analyse("UPDATE `counter` SET `n` = (@hf_1 := `n` + ?) WHERE `id` = ?",
                List.of(1, 1));
        assertThat(maria.relativeSets()).containsExactly("n");
        assertThat(maria.keys()).isEqualTo(Map.of("id", List.of("1")));
    }

    /** Holdfast's one-round-trip atomic update on MariaDB: the compound statement is read as its UPDATE. */
    @Test
    void mariaDbsCompoundAtomicUpdateIsItsUpdate() throws Exception {
        SqlFacts f = SqlAnalysis.analyse("BEGIN NOT ATOMIC UPDATE `counter` SET `n` = (@hf_1 := `n` + ?), `note` = "
                + "(@hf_2 := `note`) WHERE `id` = ?; SELECT ?, @hf_1, @hf_2 FROM DUAL WHERE ROW_COUNT() > 0; END",
                List.of(1, 7, 7));
        assertThat(f.type()).isEqualTo(SqlFacts.Type.UPDATE);
        assertThat(f.table()).isEqualTo("counter");
        assertThat(f.relativeSets()).containsExactly("n", "note");
        assertThat(f.keys()).isEqualTo(Map.of("id", List.of("7")));
    }

    @Test
    void lockClausesAreSeen() throws Exception {
        assertThat(SqlAnalysis.analyse("select * from job where id = ? for update skip locked", List.of(1)))
                .satisfies(f -> {
                    assertThat(f.lock()).isEqualTo(SqlFacts.Lock.UPDATE);
                    assertThat(f.skipLocked()).isTrue();
                    assertThat(f.columns()).isNull();
                });
        assertThat(SqlAnalysis.analyse("select id from job where id = 1 for share nowait", List.of()))
                .satisfies(f -> {
                    assertThat(f.lock()).isEqualTo(SqlFacts.Lock.SHARE);
                    assertThat(f.noWait()).isTrue();
                });
        assertThat(SqlAnalysis.analyse("SELECT id, state FROM job WHERE id = ? LOCK IN SHARE MODE", List.of(1)).lock())
                .isEqualTo(SqlFacts.Lock.SHARE);
        assertThat(SqlAnalysis.analyse("select id from job where id = ?", List.of(1)).lock())
                .isEqualTo(SqlFacts.Lock.NONE);
    }

    @Test
    void keysComeFromEqualitiesAndInListsWithTheirBoundValues() throws Exception {
        SqlFacts f = SqlAnalysis.analyse("select a.id, a.name from account a where a.tenant = 'x' and a.id in (?, ?) "
                + "and a.created > ?", List.of(1, 2, "2026-01-01"));
        assertThat(f.keys()).containsEntry("tenant", List.of("x")).containsEntry("id", List.of("1", "2"));
        assertThat(f.guards()).hasSize(1);
        assertThat(f.columns()).containsExactly("id", "name");
    }

    @Test
    void aggregatesAndAdvisoryLocksAreSeen() throws Exception {
        assertThat(SqlAnalysis.analyse("select coalesce(sum(amount), 0) from payment where order_id = ?", List.of(1))
                .aggregate()).isTrue();
        assertThat(SqlAnalysis.analyse("select count(*) from doctor where on_call", List.of()).aggregate()).isTrue();
        assertThat(SqlAnalysis.analyse("select pg_advisory_xact_lock(?)", List.of(42)).type())
                .isEqualTo(SqlFacts.Type.ADVISORY_LOCK);
        assertThat(SqlAnalysis.analyse("SELECT GET_LOCK('stock:1', 10)", List.of()).type())
                .isEqualTo(SqlFacts.Type.ADVISORY_LOCK);
    }

    @Test
    void insertsNameTheirValues() throws Exception {
        SqlFacts f = SqlAnalysis.analyse("insert into member (email, name, id) values (?, ?, 5)",
                List.of("a@b.c", "Ann"));
        assertThat(f.type()).isEqualTo(SqlFacts.Type.INSERT);
        assertThat(f.inserted()).containsEntry("email", "a@b.c").containsEntry("name", "Ann").containsEntry("id", "5");
    }

    @Test
    void numbersOfEveryTypeAreOneKey() {
        assertThat(SqlAnalysis.normalise(1)).isEqualTo(SqlAnalysis.normalise(1L))
                .isEqualTo(SqlAnalysis.normalise(new java.math.BigDecimal("1.00")));
    }

    @Test
    void unparseableSqlIsReportedNotThrownAtTheUser() {
        assertThatThrownBy(() -> SqlAnalysis.analyse("selec wat from", List.of()))
                .isInstanceOf(SqlAnalysis.Unparsed.class);
    }
}
