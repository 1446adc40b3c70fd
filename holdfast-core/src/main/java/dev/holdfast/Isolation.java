package dev.holdfast;

import java.sql.Connection;

/**
 * Transaction isolation levels, in the SQL standard's names.
 *
 * <p>Holdfast's default on PostgreSQL and MariaDB is {@link #READ_COMMITTED}: it means the same thing on both servers,
 * and every statement sees the latest committed data, so a value read after waiting for a lock is never a stale
 * snapshot (MariaDB's default REPEATABLE READ is the trap behind the "refresh after lock" bug). Correctness comes from
 * guarded writes (locks, versions, atomic updates), not from the isolation level. SQLite always runs serializable
 * transactions, whatever level is asked for.
 */
public enum Isolation {
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    /** values() copies the array on every call, and every transaction looks its level up (issue 18). */
    private static final Isolation[] LEVELS = values();

    private final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** The {@link Connection} constant for this level. */
    public int jdbcLevel() {
        return jdbcLevel;
    }

    /** The level as SQL writes it, e.g. {@code REPEATABLE READ}. */
    /** The level for a JDBC constant ({@code Connection.TRANSACTION_...}); null for 0 (none). */
    static Isolation ofJdbc(int jdbcLevel) {
        for (Isolation level : LEVELS) {
            if (level.jdbcLevel == jdbcLevel) {
                return level;
            }
        }
        return null;
    }

    public String sql() {
        return name().replace('_', ' ');
    }
}
