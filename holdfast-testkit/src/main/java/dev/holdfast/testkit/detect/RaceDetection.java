package dev.holdfast.testkit.detect;

import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.detect.internal.DetectRacesExtension;
import javax.sql.DataSource;

/**
 * The race detector of a {@link DetectRaces @DetectRaces} test class, as a test sees it: a parameter of any test or
 * lifecycle method. Record through {@link #wrap(DataSource)} (or the detector's {@link RaceDetector#listener()
 * listener()} for a Holdfast {@code Database}, then name the {@link #catalogue(DataSource) catalogue}), and register
 * the code path that the explorer may run twice to prove a finding:
 *
 * <pre>{@code
 * @EachDatabase
 * void withdrawing(TestDatabase db, RaceDetection races) throws Exception {
 *     DataSource ds = races.wrap(dataSourceOf(db));
 *     Bank.createTables(ds);
 *     Bank.withdraw(ds, 1, 10);
 *     races.codePath("withdraw", Interleaver.on(db).setup(Bank::createTables), d -> Bank.withdraw(d, 1, 10));
 * }
 * }</pre>
 */
public interface RaceDetection {

    /** The detector that records this class's transactions (one for the whole class). */
    RaceDetector detector();

    /**
     * {@code target} with every transaction on its connections recorded; the analysis reads the catalogue (unique keys,
     * database kind) from {@code target} after the test.
     */
    DataSource wrap(DataSource target);

    /**
     * Where the analysis reads the catalogue when the SQL was recorded another way (the detector's listener, a
     * {@link #recording(DataSource)} bean): any DataSource of the same database and schema.
     */
    RaceDetection catalogue(DataSource source);

    /**
     * A code path the explorer runs as two concurrent copies to confirm this test's findings: each finding of the
     * test is tried with each registered path until one proves it (at most {@link DetectRaces#confirmSeconds()} per
     * try). {@code explorer} names the database and the setup that brings it back to its starting state; the
     * explorer empties the database before each schedule, so register paths on a database of this test alone.
     *
     * @param name     shown in the report, e.g. {@code "buy"}
     * @param explorer from {@code Interleaver.on(testDatabase).setup(...)}
     * @param codePath the code under test, on the DataSource the explorer hands it
     */
    RaceDetection codePath(String name, Interleaver.Builder explorer, JdbcActor codePath);

    /**
     * A DataSource to register as the application's bean in a Spring (or any container's) test: while a {@link
     * DetectRaces @DetectRaces} class runs, its connections are recorded by that class's detector and the catalogue is
     * read from {@code target}; outside such a class it is {@code target} unchanged, at the cost of one check per
     * borrowed connection.
     *
     * <pre>{@code
     * @TestConfiguration
     * class RecordedDataSource {
     *     @Bean @Primary
     *     DataSource dataSource(DataSourceProperties p) {
     *         return RaceDetection.recording(p.initializeDataSourceBuilder().build());
     *     }
     * }
     * }</pre>
     */
    static DataSource recording(DataSource target) {
        return DetectRacesExtension.recording(target);
    }
}
