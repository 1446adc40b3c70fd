package dev.holdfast.testkit;

/**
 * How a {@link DatabaseTest} keeps tests from seeing each other's data.
 *
 * <pre>{@code
 * @DatabaseTest(isolation = TestIsolation.ROLLBACK, setup = "schema")
 * void placesAnOrder(Database db) { ... }      // everything it wrote, commits included, is rolled back
 * }</pre>
 */
public enum TestIsolation {
    /**
     * The test and the code under test share one connection inside an outer transaction that is rolled back when the
     * test ends. A commit by the code becomes the release of a savepoint, a rollback a rollback to it, so the code
     * behaves as it would, and nothing it commits outlives the test. The schema ({@code setup}) is created once per
     * test class and database. The cheapest mode; not for tests with real concurrency (there is one connection), and on
     * MariaDB DDL inside the test commits implicitly and is not undone.
     */
    ROLLBACK,
    /**
     * A fresh database per test with the setup applied (SQLite: a copy of a template file; PostgreSQL and MariaDB: a
     * new schema or database, re-created, which is faster than cloning a template database), reached through a real
     * connection pool: for tests with real concurrency.
     */
    CLONE
}
