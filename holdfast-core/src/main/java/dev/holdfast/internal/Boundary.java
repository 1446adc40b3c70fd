package dev.holdfast.internal;

/** How a transaction begins and ends on its connection; the engine chooses it. */
public enum Boundary {
    /** {@code setAutoCommit(false)}, {@code commit()}, {@code rollback()}: PostgreSQL and MariaDB. */
    JDBC,
    /** {@code BEGIN IMMEDIATE}/{@code BEGIN}, {@code COMMIT}, {@code ROLLBACK} as SQL on an autocommit connection: SQLite. */
    SQL,
    /** {@code SAVEPOINT}, {@code RELEASE}, {@code ROLLBACK TO}: a unit inside a larger transaction (the SQLite writer's group commit). */
    SAVEPOINT,
    /** No transaction: each statement commits on its own (a single statement, or a read at READ COMMITTED). */
    AUTOCOMMIT
}
