package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.Setup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Raw JDBC code paths recorded once through {@link RaceDetector#wrap}, analysed against the real catalogue, and the
 * finding confirmed by running two copies of the same code path under the interleaving explorer.
 */
class RaceDetectorTest {
    private static final Duration BUDGET = Duration.ofMinutes(2);

    // ---------------------------------------------------------------------------------------- check-then-insert

    private static final AtomicInteger MEMBER_IDS = new AtomicInteger(100);

    /** Registers a@example.com unless a member with that e-mail exists, in one transaction. */
    private static final JdbcActor REGISTER = ds -> {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("select id from member where email = ?")) {
                ps.setString(1, "a@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (PreparedStatement ps = c.prepareStatement("insert into member (id, email) values (?, ?)")) {
                    ps.setInt(1, MEMBER_IDS.incrementAndGet());
                    ps.setString(2, "a@example.com");
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
    };

    @EachDatabase
    void checkThenInsertWithoutAUniqueConstraintIsFlaggedAndProved(TestDatabase tdb) throws Exception {
        Setup setup = db -> db.execute("create table member (id int primary key, email varchar(100) not null)");
        Report report = recordOnce(tdb, setup, REGISTER);
        if (tdb.kind() == DatabaseKind.SQLITE) {
            // SQLite lets one writer in at a time: the second transaction's insert fails (SQLITE_BUSY), no duplicate
            assertThat(report.findings()).as(report.toText()).isEmpty();
            return;
        }
        assertThat(report.findings()).as(report.toText()).singleElement()
                .satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(Finding.Kind.CHECK_THEN_INSERT);
                    assertThat(f.reason()).contains("no unique constraint of member covers [email]");
                    assertThat(f.statements()).extracting(RecordedStatement::sql).containsExactly(
                            "select id from member where email = ?", "insert into member (id, email) values (?, ?)");
                });
        Confirmation c = RaceDetector.create().confirm(report.findings().get(0),
                Interleaver.on(tdb).setup(setup), REGISTER,
                "select email, count(*) from member group by email order by 1", BUDGET);
        assertThat(c.proved()).as(c.detail()).isTrue();
        assertThat(c.schedule()).isNotBlank();
        assertThat(report.findings().get(0).confirmedBy(c).status()).isEqualTo(Finding.Status.PROVED);
    }

    @EachDatabase
    void checkThenInsertWithAUniqueConstraintIsNotFlagged(TestDatabase tdb) throws Exception {
        Report report = recordOnce(tdb, db -> db.execute(
                "create table member (id int primary key, email varchar(100) not null unique)"), REGISTER);
        assertThat(report.findings()).as(report.toText()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- write skew

    private static final AtomicInteger DOCTOR = new AtomicInteger();

    private static JdbcActor goOffCall(int isolation) {
        return ds -> {
            int me = DOCTOR.getAndIncrement() % 2 + 1;
            try (Connection c = ds.getConnection()) {
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(false);
                int onCall;
                try (PreparedStatement ps = c.prepareStatement("select count(*) from doctor where on_call = ?")) {
                    ps.setBoolean(1, true);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        onCall = rs.getInt(1);
                    }
                }
                if (onCall >= 2) {
                    try (PreparedStatement ps = c.prepareStatement("update doctor set on_call = ? where id = ?")) {
                        ps.setBoolean(1, false);
                        ps.setInt(2, me);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            }
        };
    }

    private static final Setup DOCTORS = db -> {
        db.execute("create table doctor (id int primary key, on_call boolean not null)");
        db.execute("insert into doctor (id, on_call) values (1, true), (2, true)");
    };

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void writeSkewUnderSnapshotIsolationIsFlaggedAndProved(TestDatabase tdb) throws Exception {
        JdbcActor path = goOffCall(Connection.TRANSACTION_REPEATABLE_READ);
        Report report = recordOnce(tdb, DOCTORS, path);
        assertThat(report.findings(Finding.Kind.WRITE_SKEW)).as(report.toText()).singleElement()
                .satisfies(f -> assertThat(f.isolation()).isEqualTo("REPEATABLE READ"));
        Confirmation c = RaceDetector.create().confirm(report.findings(Finding.Kind.WRITE_SKEW).get(0),
                Interleaver.on(tdb).setup(DOCTORS), path, "select count(*) from doctor where on_call", BUDGET);
        assertThat(c.proved()).as(c.detail()).isTrue();
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void writeSkewIsNotFlaggedAtSerializable(TestDatabase tdb) throws Exception {
        Report report = recordOnce(tdb, DOCTORS, goOffCall(Connection.TRANSACTION_SERIALIZABLE));
        assertThat(report.findings()).as(report.toText()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- stale snapshot

    /** Takes the next ticket number under an advisory lock, at REPEATABLE READ. */
    private static JdbcActor nextTicket(String lock, String unlock) {
        return ds -> {
            try (Connection c = ds.getConnection()) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(lock)) {
                    ps.execute();
                }
                int next;
                try (PreparedStatement ps = c.prepareStatement("select coalesce(max(seq), 0) from ticket");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    next = rs.getInt(1) + 1;
                }
                try (PreparedStatement ps = c.prepareStatement("insert into ticket (seq) values (?)")) {
                    ps.setInt(1, next);
                    ps.executeUpdate();
                }
                if (unlock != null) {
                    try (PreparedStatement ps = c.prepareStatement(unlock)) {
                        ps.execute();
                    }
                }
                c.commit();
            }
        };
    }

    private static final Setup TICKETS = db -> db.execute("create table ticket (seq int not null)");

    @EachDatabase(DatabaseKind.POSTGRES)
    void aReadAfterAnAdvisoryLockAtRepeatableReadIsAStaleSnapshotOnPostgres(TestDatabase tdb) throws Exception {
        JdbcActor path = nextTicket("select pg_advisory_xact_lock(1)", null);
        Report report = recordOnce(tdb, TICKETS, path);
        assertThat(report.findings()).as(report.toText()).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.STALE_SNAPSHOT));
        Confirmation c = RaceDetector.create().confirm(report.findings().get(0), Interleaver.on(tdb).setup(TICKETS),
                path, BUDGET);
        assertThat(c.proved()).as(c.detail()).isTrue();
    }

    @EachDatabase(DatabaseKind.MARIADB)
    void onMariaDbTheSnapshotIsTakenAfterTheLockSoTheSameCodeIsNotFlagged(TestDatabase tdb) throws Exception {
        Report report = recordOnce(tdb, TICKETS, nextTicket("select get_lock('ticket', 10)",
                "select release_lock('ticket')"));
        assertThat(report.findings()).as(report.toText()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** Runs the setup, then the code path once through a recording data source, and analyses what it sent. */
    static Report recordOnce(TestDatabase tdb, Setup setup, JdbcActor path) throws Exception {
        DataSource raw = tdb.dataSource();
        try (dev.holdfast.Database db = dev.holdfast.Database.builder(raw).build()) {
            setup.run(db);
        }
        RaceDetector detector = RaceDetector.create();
        path.run(detector.wrap(raw));
        List<RecordedTransaction> recorded = detector.transactions();
        assertThat(recorded).isNotEmpty();
        return detector.analyse(raw);
    }
}
