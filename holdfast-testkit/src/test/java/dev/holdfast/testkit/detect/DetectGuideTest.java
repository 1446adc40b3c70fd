package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;

/** The examples of docs/detect.md, kept compiling and passing. Change both together. */
class DetectGuideTest {

    // --- docs/detect.md: "Any JDBC code: wrap the DataSource"
    /** Withdraws 10 from account 1: reads the balance, computes, writes it back. */
    static final JdbcActor WITHDRAW = dataSource -> {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long balance;
            try (PreparedStatement ps = c.prepareStatement("select balance from account where id = ?")) {
                ps.setLong(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update account set balance = ? where id = ?")) {
                ps.setLong(1, balance - 10);
                ps.setLong(2, 1);
                ps.executeUpdate();
            }
            c.commit();
        }
    };

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void wrapTheDataSource(TestDatabase tdb) throws Exception {
        DataSource dataSource = createAccounts(tdb);

        RaceDetector detector = RaceDetector.create();
        WITHDRAW.run(detector.wrap(dataSource));          // your test, request handler or ORM session
        Report report = detector.analyse(dataSource);     // unique keys from the catalogue
        System.out.println(report.toText());

        assertThat(report.findings()).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.LOST_UPDATE));
    }

    // --- docs/detect.md: "Prove it"
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void proveIt(TestDatabase tdb) throws Exception {
        DataSource dataSource = createAccounts(tdb);
        RaceDetector detector = RaceDetector.create();
        WITHDRAW.run(detector.wrap(dataSource));
        Finding finding = detector.analyse(dataSource).findings().get(0);

        Confirmation proof = detector.confirm(finding,
                Interleaver.on(tdb).setup(db -> {
                    db.execute("create table account (id bigint primary key, balance bigint not null)");
                    db.execute("insert into account (id, balance) values (1, 100)");
                }),
                WITHDRAW, Duration.ofSeconds(60));
        System.out.println(proof.status() + " " + proof.schedule());
        System.out.println(proof.detail());

        assertThat(proof.proved()).isTrue();
        assertThat(finding.confirmedBy(proof).status()).isEqualTo(Finding.Status.PROVED);
    }

    // --- docs/detect.md: "Holdfast: the listener"
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void holdfastListener(TestDatabase tdb) throws Exception {
        DataSource dataSource = createAccounts(tdb);
        RaceDetector detector = RaceDetector.create();
        try (Database db = Database.builder(dataSource).listener(detector.listener()).build()) {
            db.transact(tx -> {
                long balance = tx.queryScalar(Long.class, "select balance from account where id = ?", 1);
                return tx.execute("update account set balance = ? where id = ?", balance - 10, 1);
            });
        }
        Report report = detector.analyse(dataSource);
        assertThat(report.findings()).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.LOST_UPDATE));

        // the fix: an atomic update
        detector.clear();
        try (Database db = Database.builder(dataSource).listener(detector.listener()).build()) {
            db.transact(tx -> tx.execute("update account set balance = balance - ? where id = ?", 10, 1));
        }
        assertThat(detector.analyse(dataSource).findings()).isEmpty();
    }

    // --- docs/detect.md: "Keep the recording"
    @EachDatabase(DatabaseKind.POSTGRES)
    void keepTheRecording(TestDatabase tdb) throws Exception {
        DataSource dataSource = createAccounts(tdb);
        RaceDetector detector = RaceDetector.create();
        WITHDRAW.run(detector.wrap(dataSource));

        Path file = Files.createTempFile("races", ".trace");
        TraceFile.write(file, detector.transactions());
        Report later = RaceDetector.analyse(TraceFile.read(file), Catalogue.unknown(DatabaseKind.POSTGRES));

        assertThat(later.findings()).hasSize(1);
        Files.delete(file);
    }

    private static DataSource createAccounts(TestDatabase tdb) throws Exception {
        DataSource dataSource = tdb.dataSource();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("create table account (id bigint primary key, balance bigint not null)");
            st.execute("insert into account (id, balance) values (1, 100)");
        }
        return dataSource;
    }
}
