package dev.holdfast.testkit.detect;

import dev.holdfast.testkit.detect.internal.DetectRacesExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the race detector over a JUnit 5 test class: every test may take a {@link RaceDetection} (or the {@link
 * RaceDetector} itself) as a parameter and send its SQL through it; after each test the detector analyses what that
 * test sent and, when the test registered a code path, confirms each finding with the interleaving explorer. At the
 * end of the class the findings are printed to standard output and written to {@code
 * target/holdfast-races/<class>.txt} (with the recorded transactions in {@code <class>.trace}, which {@code holdfast
 * detect --trace} reads). In {@link Mode#FAIL} mode a {@link Finding.Status#PROVED PROVED} finding fails the class.
 *
 * <pre>{@code
 * @DetectRaces(mode = DetectRaces.Mode.FAIL)
 * class ShopTest {
 *     @EachDatabase
 *     void buying(TestDatabase db, RaceDetection races) throws Exception {
 *         DataSource ds = races.wrap(dataSourceOf(db));          // recorded; the catalogue is read from it
 *         Shop.createTables(ds);
 *         Shop.buy(ds, 1);
 *         races.codePath("buy", Interleaver.on(db).setup(Shop::createTables), d -> Shop.buy(d, 1));
 *     }
 * }
 * }</pre>
 *
 * <p>A Spring test registers {@link RaceDetection#recording(javax.sql.DataSource)} as its {@code DataSource} bean, so
 * the connections the application borrows record into the detector of the {@code @DetectRaces} class that runs. One
 * {@code @DetectRaces} class runs at a time per JVM for that wrapper (classes in parallel would share it).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DetectRacesExtension.class)
public @interface DetectRaces {

    /** What a finding does to the build: {@link Mode#WARN} reports it, {@link Mode#FAIL} also fails on a proved one. */
    Mode mode() default Mode.WARN;

    /** The explorer's time budget for confirming one finding with one code path, in seconds. */
    int confirmSeconds() default 60;

    /** What the class's findings do to the build. */
    enum Mode {
        /** Report every finding; never fail the class because of one. */
        WARN,
        /**
         * Report every finding, and fail the class when one is {@link Finding.Status#PROVED PROVED} (a failing schedule
         * exists). Suspected and not-reproduced findings are reported, never hidden, but do not fail the class.
         */
        FAIL
    }
}
