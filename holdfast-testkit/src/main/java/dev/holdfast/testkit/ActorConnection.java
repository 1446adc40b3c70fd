package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A physical connection owned by one actor for one run, its id in the database, and whether an SQL-level transaction
 * ({@code BEGIN …}) is open on it: on SQLite a step that ends a transaction is what lets an actor that got
 * SQLITE_BUSY try again.
 */
final class ActorConnection {
    private static final Pattern COMPOUND = Pattern.compile("BEGIN\\s+NOT\\s+ATOMIC\\b");

    final Connection raw;
    final long id;
    private final int isolation;   // the JDBC level the interleaver set, -1 for none
    private boolean sqlTransaction;
    boolean isolationChanged;      // the actor's code called setTransactionIsolation itself
    volatile boolean tainted;      // a step on it failed, was cancelled or timed out: close it, do not keep it

    ActorConnection(Connection raw, long id, int isolation) {
        this.raw = raw;
        this.id = id;
        this.isolation = isolation;
    }

    /** Called after a step succeeded: true when the step ended a transaction (so its locks are gone). */
    boolean endedTransaction(String sql, boolean jdbcCommitOrRollback) {
        if (jdbcCommitOrRollback) {
            return true;
        }
        String s = sql.stripLeading().toUpperCase(Locale.ROOT);
        if (startsTransaction(s)) {
            sqlTransaction = true;
            return false;
        }
        if (s.startsWith("COMMIT") || s.startsWith("END") || (s.startsWith("ROLLBACK") && !s.contains(" TO "))) {
            sqlTransaction = false;
            return true;
        }
        try {
            return !sqlTransaction && raw.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * True when {@code upper} (upper case, no leading blanks) opens a transaction: {@code BEGIN [WORK]} or {@code START
     * TRANSACTION}, but not MariaDB's anonymous compound statement {@code BEGIN NOT ATOMIC ... END}, which is one
     * statement and opens none (Holdfast's atomic update on MariaDB sends one).
     */
    static boolean startsTransaction(String upper) {
        if (upper.startsWith("START TRANSACTION")) {
            return true;
        }
        return upper.startsWith("BEGIN") && !COMPOUND.matcher(upper).lookingAt();
    }


    /** Returns the connection to a clean state between two borrowings by the same actor. */
    void reset() throws SQLException {
        if (!raw.getAutoCommit()) {
            raw.rollback();
            raw.setAutoCommit(true);
        }
        if (sqlTransaction) {
            try (var st = raw.createStatement()) {
                st.execute("ROLLBACK");
            } catch (SQLException noTransaction) {
                // already ended
            }
            sqlTransaction = false;
        }
        if (isolationChanged && isolation >= 0) {
            raw.setTransactionIsolation(isolation);   // an actor that chose its own level chose it for itself only
        }
        isolationChanged = false;
    }

    /** Forgets the SQL-level transaction it tracked: the session was reset. */
    void sessionReset() {
        sqlTransaction = false;
        isolationChanged = false;
    }

    void closeQuietly() {
        try {
            raw.close();
        } catch (SQLException ignored) {
            // the run is over; the database ends the session in any case
        }
    }
}
