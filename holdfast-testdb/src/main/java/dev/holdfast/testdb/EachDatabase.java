package dev.holdfast.testdb;

import static dev.holdfast.testdb.DatabaseKind.MARIADB;
import static dev.holdfast.testdb.DatabaseKind.POSTGRES;
import static dev.holdfast.testdb.DatabaseKind.SQLITE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs a test once per database, each invocation with its own fresh, empty {@link TestDatabase} that is dropped when
 * the invocation ends.
 *
 * <pre>{@code
 * @EachDatabase
 * void counts(TestDatabase db) { ... }              // sqlite, postgres, mariadb
 *
 * @EachDatabase({DatabaseKind.POSTGRES})
 * void advisoryLocks(TestDatabase db) { ... }       // postgres only
 * }</pre>
 *
 * <p>A database that cannot be reached fails the test; it is never skipped.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "{0}")
@ArgumentsSource(EachDatabaseProvider.class)
public @interface EachDatabase {
    /** The databases to run on, in this order. */
    DatabaseKind[] value() default {SQLITE, POSTGRES, MARIADB};
}
