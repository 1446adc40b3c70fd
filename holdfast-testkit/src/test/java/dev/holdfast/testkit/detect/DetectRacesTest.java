package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.Interleaver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * {@code @DetectRaces} on real test classes run through the JUnit engine: a naive withdrawal with a code path is
 * proved and fails a FAIL-mode class, only warns in WARN mode, and the safe withdrawal passes with no finding. The
 * classes below are nested (surefire does not run them itself) and run on PostgreSQL and MariaDB, where the naive
 * read-modify-write at READ COMMITTED / REPEATABLE READ loses updates.
 */
class DetectRacesTest {
    static final Path REPORTS = Path.of("target", "detect-races-test");

    static void createAccount(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table account (id int primary key, balance int not null)");
            s.execute("insert into account values (1, 100)");
        }
    }

    static void naiveWithdraw(DataSource ds, int amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            int balance;
            try (PreparedStatement read = c.prepareStatement("select balance from account where id = ?")) {
                read.setInt(1, 1);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    balance = rs.getInt(1);
                }
            }
            try (PreparedStatement write = c.prepareStatement("update account set balance = ? where id = ?")) {
                write.setInt(1, balance - amount);
                write.setInt(2, 1);
                write.executeUpdate();
            }
            c.commit();
        }
    }

    static void safeWithdraw(DataSource ds, int amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement write = c.prepareStatement("update account set balance = balance - ? where id = ?")) {
                write.setInt(1, amount);
                write.setInt(2, 1);
                write.executeUpdate();
            }
            c.commit();
        }
    }

    static Interleaver.Builder explorer(TestDatabase db) {
        return Interleaver.on(db).setup(d -> {
            d.execute("create table account (id int primary key, balance int not null)");
            d.execute("insert into account values (1, 100)");
        });
    }

    // docs/detect.md quotes this class ("In a JUnit 5 test class"): change both together
    @DetectRaces(mode = DetectRaces.Mode.FAIL, confirmSeconds = 60)
    static class NaiveFailMode {
        @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
        void withdraw(TestDatabase db, RaceDetection races) throws Exception {
            DataSource ds = races.wrap(db.dataSource());
            createAccount(ds);
            naiveWithdraw(ds, 10);
            races.codePath("withdraw", explorer(db), d -> naiveWithdraw(d, 10));
        }
    }

    @DetectRaces(confirmSeconds = 60)
    static class NaiveWarnMode {
        @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
        void withdraw(TestDatabase db, RaceDetection races) throws Exception {
            DataSource ds = races.wrap(db.dataSource());
            createAccount(ds);
            naiveWithdraw(ds, 10);
            races.codePath("withdraw", explorer(db), d -> naiveWithdraw(d, 10));
        }
    }

    @DetectRaces(mode = DetectRaces.Mode.FAIL)
    static class SafeFailMode {
        @EachDatabase
        void withdraw(TestDatabase db, RaceDetection races, RaceDetector detector) throws Exception {
            assertThat(races.detector()).isSameAs(detector);
            DataSource ds = races.wrap(db.dataSource());
            createAccount(ds);
            safeWithdraw(ds, 10);
            assertThat(detector.transactions()).isNotEmpty(); // the test really recorded through the class's detector
            races.codePath("withdraw", explorer(db), d -> safeWithdraw(d, 10));
        }
    }

    /** Spring's way: the application's DataSource bean is RaceDetection.recording(...), the test never sees a detector. */
    @DetectRaces
    static class RecordingBean {
        @EachDatabase({DatabaseKind.POSTGRES})
        void withdraw(TestDatabase db) throws Exception {
            DataSource bean = RaceDetection.recording(db.dataSource());
            createAccount(bean);
            naiveWithdraw(bean, 10);
        }
    }

    /** A @Nested class inherits the extension: it gets a detector and a report of its own. */
    @DetectRaces
    static class WithNested {
        @EachDatabase({DatabaseKind.POSTGRES})
        void outer(TestDatabase db, RaceDetection races) throws Exception {
            DataSource ds = races.wrap(db.dataSource());
            createAccount(ds);
            safeWithdraw(ds, 10);
        }

        @org.junit.jupiter.api.Nested
        class Inner {
            @EachDatabase({DatabaseKind.POSTGRES})
            void inner(TestDatabase db, RaceDetection races) throws Exception {
                DataSource ds = races.wrap(db.dataSource());
                createAccount(ds);
                naiveWithdraw(ds, 10);
            }
        }
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        String previous = System.setProperty("holdfast.detect.reportDir", REPORTS.toString());
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
        } finally {
            if (previous == null) {
                System.clearProperty("holdfast.detect.reportDir");
            } else {
                System.setProperty("holdfast.detect.reportDir", previous);
            }
        }
    }

    private static String report(Class<?> testClass) throws Exception {
        return Files.readString(REPORTS.resolve(testClass.getName() + ".txt"));
    }

    @Test
    void aProvedRaceFailsAFailModeClassAfterItsTestsPassed() throws Exception {
        EngineExecutionResults results = run(NaiveFailMode.class);
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        List<Event> failedClasses = results.containerEvents().failed().list();
        assertThat(failedClasses).hasSize(1);
        Throwable why = failedClasses.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(why).isInstanceOf(AssertionError.class).hasMessageContaining("proved race(s)")
                .hasMessageContaining("LOST_UPDATE");
        String report = report(NaiveFailMode.class);
        assertThat(report).contains("2 finding(s), 2 proved").contains("[withdraw(TestDatabase, RaceDetection)");
        assertThat(Files.exists(REPORTS.resolve(NaiveFailMode.class.getName() + ".trace"))).isTrue();
        assertThat(TraceFile.read(REPORTS.resolve(NaiveFailMode.class.getName() + ".trace"))).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void inWarnModeTheSameRaceIsReportedAndTheClassPasses() throws Exception {
        EngineExecutionResults results = run(NaiveWarnMode.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(report(NaiveWarnMode.class)).contains("2 proved").contains("LOST_UPDATE (PROVED)");
    }

    @Test
    void theSafeVersionHasNoFindingAndPassesInFailMode() throws Exception {
        EngineExecutionResults results = run(SafeFailMode.class);
        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(report(SafeFailMode.class)).contains("0 finding(s)");
    }

    @Test
    void aNestedClassHasADetectorAndAReportOfItsOwn() throws Exception {
        EngineExecutionResults results = run(WithNested.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(report(WithNested.class)).contains("0 finding(s)");
        assertThat(report(WithNested.Inner.class)).contains("1 finding(s)").contains("LOST_UPDATE (SUSPECTED)");
    }

    @Test
    void theRecordingBeanRecordsWhileADetectRacesClassRunsAndIsPlainOutside() throws Exception {
        EngineExecutionResults results = run(RecordingBean.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(report(RecordingBean.class)).contains("1 finding(s), 0 proved").contains("LOST_UPDATE (SUSPECTED)")
                .contains("no code path registered");
        try (TestDatabase db = dev.holdfast.testdb.TestDatabases.fresh(DatabaseKind.SQLITE)) {
            DataSource bean = RaceDetection.recording(db.dataSource());
            createAccount(bean); // no class running: passes straight through
            assertThat(bean.isWrapperFor(db.dataSource().getClass())).isTrue();
        }
    }
}
