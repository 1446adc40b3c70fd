package dev.holdfast.testdb;

/** The databases a Holdfast test runs against. */
public enum DatabaseKind {
    /** SQLite, always embedded: a new file per test database. */
    SQLITE,
    /** PostgreSQL from {@code HOLDFAST_PG_URL}, or an embedded server: a new schema per test database. */
    POSTGRES,
    /** MariaDB from {@code HOLDFAST_MARIADB_URL}, or an embedded server: a new database per test database. */
    MARIADB;

    /** The lower-case name used in display names and log lines: {@code sqlite}, {@code postgres}, {@code mariadb}. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
