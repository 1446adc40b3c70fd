package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a setup left in the test schema (PostgreSQL) or database (MariaDB), kept so that later schedules start from it
 * without dropping everything and running the setup again: the rows of every table, copied server-side into temporary
 * tables of the interleaver's own connection (invisible to the actors, and exact for every type), the values of the
 * sequences and AUTO_INCREMENT counters, and a fingerprint of the schema's definitions. Before a schedule,
 * {@link #restore} compares the fingerprint (a schedule that ran DDL changed it: the caller then drops and sets up
 * again) and puts back only the tables and counters that differ from the snapshot.
 *
 * <p>Dropping and re-creating tables was most of a schedule's time (4–17 ms on PostgreSQL, 9–68 ms on MariaDB, where
 * InnoDB's CREATE TABLE is slow); a restore is one query when nothing changed and a short transaction otherwise.
 */
abstract class SetupSnapshot {
    /** Prefix of the temporary tables holding the rows; the actors' connections never see them. */
    static final String PREFIX = "holdfast_snapshot_";

    /**
     * A snapshot of what the setup left, with every table already restored from it once (so that every schedule,
     * the first included, starts from the same physical state). Its {@link #refusal} is not {@code null} when the
     * schema holds something a restore cannot put back exactly (triggers, rules, partitioned or inherited tables,
     * system-versioned tables, MariaDB sequences, foreign keys in a cycle): nothing was copied then, and the caller
     * keeps dropping and setting up.
     */
    static SetupSnapshot take(Target.Kind kind, Connection c) throws SQLException {
        SetupSnapshot s = switch (kind) {
            case POSTGRES -> new PostgresSnapshot();
            case MARIADB -> new MariaDbSnapshot();
            case SQLITE -> throw new IllegalArgumentException("SQLite's state is set up again for every schedule");
        };
        s.refusal = s.inspect(c);
        if (s.refusal == null) {
            s.copyRows(c);
            s.putBack(c, null, true);
            s.baseline = s.observe(c, true);
        }
        return s;
    }

    /** Why this snapshot cannot be used, or {@code null}. */
    String refusal;

    /** The state of the schema at the end of the last restore: fingerprint, per-table hashes, counters. */
    private Map<String, String> baseline;

    /**
     * Puts the tables and counters back to the snapshot.
     *
     * @param onlyDml the last schedule sent only queries, DML and transaction control: definitions that only a
     *                statement of its own can change are not read again (on MariaDB all of them: a stored function
     *                or trigger may not run DDL; on PostgreSQL, where a function called by a query may, the catalog
     *                part of the fingerprint is always read)
     * @return false when the schema's definitions changed (a schedule ran DDL): nothing was touched, and the caller
     *         must drop and run the setup again
     * @throws SQLException when the restore failed (it was rolled back where the database allows): the caller drops
     *                      and runs the setup again
     */
    final boolean restore(Connection c, boolean onlyDml) throws SQLException {
        Map<String, String> now = observe(c, !onlyDml);
        if (onlyDml) {
            for (String part : List.of(FINGERPRINT, FINGERPRINT_SLOW)) {
                if (!now.containsKey(part) && baseline.containsKey(part)) {
                    now.put(part, baseline.get(part));
                }
            }
        }
        if (!now.get(FINGERPRINT).equals(baseline.get(FINGERPRINT))
                || !String.valueOf(now.get(FINGERPRINT_SLOW)).equals(String.valueOf(baseline.get(FINGERPRINT_SLOW)))
                || !now.keySet().equals(baseline.keySet())) {
            return false;
        }
        if (now.equals(baseline)) {
            return true;
        }
        putBack(c, now, false);
        return true;
    }

    static final String FINGERPRINT = "fingerprint";
    /** The part of the fingerprint read only after a schedule that sent more than DML ({@link #restore}). */
    static final String FINGERPRINT_SLOW = "fingerprint, slow part";

    /** Reads the catalog: the tables, columns, sequences, foreign keys; a reason when a restore cannot be exact. */
    abstract String inspect(Connection c) throws SQLException;

    /** Copies every table's rows into its temporary table. */
    abstract void copyRows(Connection c) throws SQLException;

    /**
     * One query: the fingerprint of the definitions, a hash of each table's rows ({@code "t:" + name}), each
     * sequence's or counter's value ({@code "s:" + name}); {@code full}: the {@link #FINGERPRINT_SLOW slow part} too.
     * Without {@code full}, a fingerprint that only a statement of its own can change may be left out.
     */
    abstract Map<String, String> observe(Connection c, boolean full) throws SQLException;

    /**
     * Restores what differs between {@code now} and the {@link #baseline()}; {@code all}: every table and counter,
     * whatever it holds ({@code now} is then {@code null}).
     */
    abstract void putBack(Connection c, Map<String, String> now, boolean all) throws SQLException;

    final Map<String, String> baseline() {
        return baseline;
    }

    static Map<String, String> keyed(Connection c, String sql) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        return out;
    }

    static List<String[]> rows(Connection c, String sql, int columns) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getString(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
