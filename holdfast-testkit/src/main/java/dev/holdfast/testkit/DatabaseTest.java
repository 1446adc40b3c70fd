package dev.holdfast.testkit;

import dev.holdfast.testdb.DatabaseKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per database, each run isolated from the others by {@link TestIsolation}. The test method may take
 * a {@link dev.holdfast.Database}, a {@link javax.sql.DataSource} and the {@link dev.holdfast.testdb.TestDatabase}.
 *
 * <pre>{@code
 * class OrderTest {
 *     static void schema(Database db) {
 *         db.execute("create table orders (id int primary key, total int not null)");
 *     }
 *
 *     @DatabaseTest(isolation = TestIsolation.ROLLBACK, setup = "schema")
 *     void placesAnOrder(Database db) {
 *         db.transact(tx -> tx.execute("insert into orders values (1, 10)"));   // committed ...
 *         assertThat(db.queryScalar(Long.class, "select count(*) from orders")).isEqualTo(1);
 *     }                                                                          // ... and rolled back here
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(DatabaseTestExtension.class)
public @interface DatabaseTest {
    /** The databases to run on, in this order. */
    DatabaseKind[] value() default {DatabaseKind.SQLITE, DatabaseKind.POSTGRES, DatabaseKind.MARIADB};

    /** How tests are kept apart; {@link TestIsolation#ROLLBACK} unless set. */
    TestIsolation isolation() default TestIsolation.ROLLBACK;

    /**
     * The name of a static method of the test class, taking a {@link dev.holdfast.Database}, that creates the schema
     * and data every test starts from. Empty: none.
     */
    String setup() default "";
}
