package dev.holdfast.testdb;

import static dev.holdfast.testdb.DatabaseKind.MARIADB;
import static dev.holdfast.testdb.DatabaseKind.POSTGRES;
import static dev.holdfast.testdb.DatabaseKind.SQLITE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * <p>The method may take other parameters JUnit can resolve ({@code TestInfo}, {@code @TempDir Path}, ...); the
 * invocation is named after the database ({@code sqlite}, {@code postgres}, {@code mariadb}). A database that cannot be
 * reached fails the test with one line naming the variable to set; it is never skipped. A database whose drop fails
 * fails the test too. Works with JUnit Jupiter 5.10 and later, including 6.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(EachDatabaseExtension.class)
public @interface EachDatabase {
    /** The databases to run on, in this order. */
    DatabaseKind[] value() default {SQLITE, POSTGRES, MARIADB};
}
