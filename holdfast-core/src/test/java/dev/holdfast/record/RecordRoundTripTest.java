package dev.holdfast.record;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Every supported component type is written and read back unchanged, on each database's own column types. */
class RecordRoundTripTest {

    enum Color { RED, GREEN }

    @Table("everything")
    record Everything(@Id Long id, boolean flag, Boolean maybeFlag, int small, Integer maybeSmall, long big, short tiny,
                      double real, float single, String text, BigDecimal money, byte[] blob, UUID uuid, Instant at,
                      LocalDate day, LocalDateTime local, OffsetDateTime offset, Color color) {
    }

    static String ddl(DatabaseKind kind) {
        return switch (kind) {
            case SQLITE -> "create table everything (id integer primary key autoincrement, flag boolean not null, "
                    + "maybe_flag boolean, small int not null, maybe_small int, big bigint not null, tiny smallint not null, "
                    + "real double not null, single real not null, text text, money text, blob blob, uuid text, "
                    + "at text, day text, local text, offset text, color text)";
            case POSTGRES -> "create table everything (id bigserial primary key, flag boolean not null, "
                    + "maybe_flag boolean, small int not null, maybe_small int, big bigint not null, tiny smallint not null, "
                    + "real double precision not null, single real not null, text text, money numeric(20,4), blob bytea, "
                    + "uuid uuid, at timestamptz, day date, local timestamp, \"offset\" timestamptz, color text)";
            case MARIADB -> "create table everything (id bigint auto_increment primary key, flag boolean not null, "
                    + "maybe_flag boolean, small int not null, maybe_small int, big bigint not null, tiny smallint not null, "
                    + "`real` double not null, single float not null, text text, money decimal(20,4), `blob` blob, "
                    + "uuid char(36), at datetime(6), day date, local datetime(6), `offset` datetime(6), color varchar(20))";
        };
    }

    @EachDatabase
    void everyTypeRoundTrips(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute(ddl(t.kind()));
            Everything full = new Everything(null, true, false, 7, 8, 1L << 40, (short) 3, 2.5, 1.25f, "héllo ✓",
                    new BigDecimal("12345.6789"), new byte[] {0, 1, (byte) 255}, UUID.randomUUID(),
                    Instant.parse("2026-03-04T05:06:07.123456Z"), LocalDate.of(2026, 2, 28),
                    LocalDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000), OffsetDateTime.of(2026, 7, 8, 9, 10, 11, 0,
                    ZoneOffset.UTC), Color.GREEN);
            Everything empty = new Everything(null, false, null, 0, null, 0, (short) 0, 0, 0, null, null, null, null,
                    null, null, null, null, null);
            Everything a = db.insert(full);
            Everything b = db.insert(empty);
            assertThat(a.id()).isNotNull();
            assertThat(b.id()).isNotEqualTo(a.id());
            for (Everything read : List.of(a, db.get(Everything.class, a.id()),
                    db.queryOne(Everything.class, "select * from everything where id = ?", a.id()).orElseThrow())) {
                assertThat(read).usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                        .ignoringFields("id").isEqualTo(full);
            }
            assertThat(db.get(Everything.class, b.id())).usingRecursiveComparison().ignoringFields("id")
                    .isEqualTo(empty);
        }
    }

    @EachDatabase
    void instantKeepsItsMomentAcrossTheDatabase(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute(ddl(t.kind()));
            OffsetDateTime plusTwo = OffsetDateTime.of(2026, 7, 8, 9, 10, 11, 0, ZoneOffset.ofHours(2));
            Everything e = db.insert(new Everything(null, false, null, 0, null, 0, (short) 0, 0, 0, null, null, null,
                    null, plusTwo.toInstant(), null, null, plusTwo, null));
            assertThat(db.get(Everything.class, e.id()).at()).isEqualTo(plusTwo.toInstant());
            assertThat(db.get(Everything.class, e.id()).offset().toInstant()).isEqualTo(plusTwo.toInstant());
        }
    }
}
