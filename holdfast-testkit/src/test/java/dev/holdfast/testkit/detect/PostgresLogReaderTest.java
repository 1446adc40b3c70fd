package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader on log text as PostgreSQL 15 writes it; {@link PostgresLogReaderServerTest} reads a real server's log. */
class PostgresLogReaderTest {

    @Test
    void extendedProtocolStatementsGetTheirParametersInPlaceholderOrder() {
        List<RecordedTransaction> txs = PostgresLogReader.create().readString("""
                2026-11-29 17:20:00.100 UTC [4242] LOG:  execute <unnamed>: BEGIN
                2026-11-29 17:20:00.101 UTC [4242] LOG:  execute <unnamed>: select balance from account where id = $1
                2026-11-29 17:20:00.101 UTC [4242] DETAIL:  parameters: $1 = '5'
                2026-11-29 17:20:00.102 UTC [4242] LOG:  execute S_3: update account set balance = $2, note = $3 where id = $1
                2026-11-29 17:20:00.102 UTC [4242] DETAIL:  parameters: $1 = '5', $2 = '90', $3 = NULL
                2026-11-29 17:20:00.102 UTC [4242] LOG:  execute fetch from S_2/C_3: select balance from account where id = $1
                2026-11-29 17:20:00.102 UTC [4242] DETAIL:  parameters: $1 = '5'
                2026-11-29 17:20:00.103 UTC [4242] LOG:  execute S_1: COMMIT
                """);
        assertThat(txs).hasSize(1);
        RecordedTransaction tx = txs.get(0);
        assertThat(tx.session()).isEqualTo("pid 4242");
        assertThat(tx.isolation()).isEqualTo("READ COMMITTED");
        assertThat(tx.ending()).isEqualTo(Ending.COMMIT);
        assertThat(tx.statements()).extracting(RecordedStatement::sql).containsExactly(
                "select balance from account where id = ?", "update account set balance = ?, note = ? where id = ?");
        assertThat(tx.statements().get(1).parameters()).containsExactly("90", null, "5");
    }

    @Test
    void interleavedSessionsAreSeparatedByPidAndAutocommitStatementsAreTransactionsOfTheirOwn() {
        List<RecordedTransaction> txs = PostgresLogReader.create().readString("""
                2026-11-29 17:20:00.100 UTC [1] LOG:  statement: BEGIN ISOLATION LEVEL REPEATABLE READ
                2026-11-29 17:20:00.100 UTC [2] LOG:  statement: SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE
                2026-11-29 17:20:00.101 UTC [2] LOG:  statement: insert into t values (1)
                2026-11-29 17:20:00.101 UTC [1] LOG:  statement: select * from t
                2026-11-29 17:20:00.102 UTC [2] LOG:  statement: insert into t values (1)
                2026-11-29 17:20:00.102 UTC [2] ERROR:  duplicate key value violates unique constraint "t_pkey"
                2026-11-29 17:20:00.102 UTC [2] DETAIL:  Key (id)=(1) already exists.
                2026-11-29 17:20:00.102 UTC [2] STATEMENT:  insert into t values (1)
                2026-11-29 17:20:00.103 UTC [1] LOG:  statement: ROLLBACK
                2026-11-29 17:20:00.104 UTC [3] LOG:  statement: START TRANSACTION
                2026-11-29 17:20:00.104 UTC [3] LOG:  statement: SET TRANSACTION ISOLATION LEVEL REPEATABLE READ
                2026-11-29 17:20:00.105 UTC [3] LOG:  statement: update t set n = n + 1
                """);
        assertThat(txs).extracting(RecordedTransaction::session, RecordedTransaction::isolation, RecordedTransaction::ending)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pid 1", "REPEATABLE READ", Ending.ROLLBACK),
                        org.assertj.core.groups.Tuple.tuple("pid 2", "SERIALIZABLE", Ending.COMMIT),
                        org.assertj.core.groups.Tuple.tuple("pid 2", "SERIALIZABLE", Ending.ROLLBACK),
                        org.assertj.core.groups.Tuple.tuple("pid 3", "REPEATABLE READ", Ending.OPEN));
    }

    @Test
    void multiLineStatementsSeveralStatementsInOneMessageAndOtherPrefixes() {
        List<RecordedTransaction> txs = PostgresLogReader.create().defaultIsolation("repeatable read").readString("""
                2026-11-29 17:20:00.100 UTC [77-1] app@shop LOG:  statement: BEGIN; update stock
                	   set qty = qty - 1 -- keep it; in stock
                	 where id = 'a;b';
                2026-11-29 17:20:00.100 UTC [77-2] app@shop LOG:  statement: COMMIT
                2026-11-29 17:20:00.200 UTC 6568a1b2.3039 0 LOG:  statement: select 1
                """);
        assertThat(txs).hasSize(2);
        assertThat(txs.get(0).statements()).singleElement().extracting(RecordedStatement::sql)
                .isEqualTo("update stock\n   set qty = qty - 1 -- keep it; in stock\n where id = 'a;b'");
        assertThat(txs.get(0).ending()).isEqualTo(Ending.COMMIT);
        assertThat(txs.get(0).isolation()).isEqualTo("REPEATABLE READ");
        assertThat(txs.get(1).session()).isEqualTo("pid " + 0x3039);
    }

    @Test
    void quotedParameterValuesAndDurations() {
        List<RecordedTransaction> txs = PostgresLogReader.create().readString("""
                2026-11-29 17:20:00.100 UTC [9] LOG:  execute <unnamed>: insert into note(id, text) values ($1, $2)
                2026-11-29 17:20:00.100 UTC [9] DETAIL:  parameters: $1 = '1', $2 = 'it''s, $2 = ''x'''
                2026-11-29 17:20:00.100 UTC [9] LOG:  duration: 1.500 ms
                """);
        RecordedStatement s = txs.get(0).statements().get(0);
        assertThat(s.parameters()).containsExactly("1", "it's, $2 = 'x'");
        assertThat(s.elapsed().toNanos()).isEqualTo(1_500_000);
    }

    @Test
    void aLogWithoutPidsIsRefusedWithTheSettingToChange() {
        assertThatThrownBy(() -> PostgresLogReader.create().readString("2026-11-29 17:20:00 UTC LOG:  statement: select 1\n"))
                .isInstanceOf(PostgresLogReader.LogFormatException.class)
                .hasMessageContaining("line 1").hasMessageContaining("log_line_prefix = '%m [%p] '");
        assertThatThrownBy(() -> PostgresLogReader.read(Path.of("target/no-such.log")))
                .isInstanceOf(PostgresLogReader.LogFormatException.class).hasMessageContaining("log_statement = 'all'");
        assertThatThrownBy(() -> PostgresLogReader.create().defaultIsolation("snapshot"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REPEATABLE READ");
    }
}
