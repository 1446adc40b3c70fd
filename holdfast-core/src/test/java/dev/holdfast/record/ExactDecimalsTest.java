package dev.holdfast.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.error.MappingException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.math.BigDecimal;
import java.util.List;

/**
 * Issue 10, item 8: a BigDecimal is stored exactly on every database with the DDL docs/records.md gives, and on SQLite
 * a record type whose decimal column would round it (NUMERIC affinity) is refused on first use instead.
 */
class ExactDecimalsTest {
    private static final BigDecimal NINETEEN_DIGITS = new BigDecimal("12345678901234567.89");

    @Table("price")
    record Price(@Id long id, BigDecimal amount) {
    }

    /** The DDL docs/records.md gives for an exact decimal on each database. */
    static String ddl(DatabaseKind kind) {
        return switch (kind) {
            case SQLITE -> "create table price (id integer primary key, amount text not null)";
            case POSTGRES -> "create table price (id bigint primary key, amount numeric(30, 2) not null)";
            case MARIADB -> "create table price (id bigint primary key, amount decimal(30, 2) not null)";
        };
    }

    @EachDatabase
    void aNineteenDigitDecimalComesBackExactly(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute(ddl(t.kind()));
            assertThat(db.insert(new Price(1, NINETEEN_DIGITS)).amount()).isEqualByComparingTo(NINETEEN_DIGITS);
            assertThat(db.get(Price.class, 1L).amount()).isEqualByComparingTo(NINETEEN_DIGITS);
            db.transact(tx -> tx.insertAll(List.of(new Price(2, NINETEEN_DIGITS.negate()))));
            assertThat(db.get(Price.class, 2L).amount()).isEqualByComparingTo(NINETEEN_DIGITS.negate());
            db.execute("insert into price (id, amount) values (?, ?)", 3, NINETEEN_DIGITS);
            assertThat(db.queryScalar(BigDecimal.class, "select amount from price where id = ?", 3))
                    .isEqualByComparingTo(NINETEEN_DIGITS);
            assertThat(db.modify(Price.class, 3L, p -> new Price(3, p.amount().add(BigDecimal.ONE))).amount())
                    .isEqualByComparingTo("12345678901234568.89");
        }
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void aColumnThatWouldRoundIsRefusedOnFirstUseAndNothingIsWritten(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table price (id integer primary key, amount numeric not null)");
            assertThatThrownBy(() -> db.insert(new Price(1, new BigDecimal("1.5"))))
                    .isInstanceOf(MappingException.class)
                    .hasMessageContaining("Price.amount").hasMessageContaining("NUMERIC")
                    .hasMessageContaining("amount text not null");
            assertThatThrownBy(() -> db.transact(tx -> tx.insertAll(List.of(new Price(2, NINETEEN_DIGITS)))))
                    .isInstanceOf(MappingException.class);
            assertThatThrownBy(() -> db.find(Price.class, 1L)).isInstanceOf(MappingException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from price")).isZero();
        }
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void aDeclaredPrecisionOfFifteenDigitsOrFewerIsAccepted(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table price (id integer primary key, amount decimal(14, 2) not null)");
            BigDecimal most = new BigDecimal("123456789012.34");
            assertThat(db.insert(new Price(1, most)).amount()).isEqualByComparingTo(most);
            assertThat(db.get(Price.class, 1L).amount()).isEqualByComparingTo(most);
        }
    }
}
