package dev.holdfast.testkit;

import dev.holdfast.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts the database back to the state every schedule starts from. The first time: drops everything in the test
 * database (unless {@link Interleaver.Builder#keepDatabase()}), then runs the user's {@link Setup}; on PostgreSQL and
 * MariaDB it then takes a {@link SetupSnapshot} of what the setup left, and later resets restore that snapshot
 * (only the tables and counters that changed) instead of dropping and setting up again. When a schedule changed the
 * schema's definitions (DDL), when the schema holds something a restore cannot put back exactly, or when a restore
 * fails, it drops and sets up again, and does so for the rest of the exploration. Re-creating was measured faster
 * than cloning for the small states these tests use (docs/testing.md): on PostgreSQL 15 dropping and re-creating the
 * schema with one table takes 3–6 ms, while {@code CREATE DATABASE … TEMPLATE} takes 66 ms (and its DROP 430 ms).
 */
final class FreshState {
    private final Target target;
    private final PlainDataSource plain;
    private final Database db;
    private final Setup setup;
    private final boolean keepDatabase;
    private final boolean dropOthers;
    private boolean checked;
    private String container;   // PostgreSQL schema or MariaDB database
    private boolean snapshots;
    private SetupSnapshot snapshot;
    private int setUps;
    private int restores;
    private String snapshotOff;
    private boolean lastRunOnlyDml;

    FreshState(Target target, PlainDataSource plain, Database db, Setup setup, boolean keepDatabase,
               boolean dropOthers, boolean snapshots) {
        this.snapshots = snapshots && !keepDatabase && target.kind != Target.Kind.SQLITE;
        this.keepDatabase = keepDatabase;
        this.dropOthers = dropOthers || target.madeForTheTest;
        this.target = target;
        this.plain = plain;
        this.db = db;
        this.setup = setup;
    }

    void reset() throws Exception {
        if (snapshot != null) {
            String why;
            try {
                if (snapshot.restore(plain.physical(), lastRunOnlyDml)) {
                    restores++;
                    return;
                }
                why = "a schedule changed the schema (DDL)";
            } catch (SQLException e) {
                why = "restoring the snapshot failed: " + e.getMessage();
            }
            snapshot = null;
            snapshots = false;
            snapshotOff = why;
        }
        dropAndSetUp();
        setUps++;
        if (snapshots) {
            try {
                SetupSnapshot s = SetupSnapshot.take(target.kind, plain.physical());
                if (s.refusal == null) {
                    snapshot = s;
                } else {
                    snapshots = false;
                    snapshotOff = s.refusal;
                }
            } catch (SQLException e) {
                // the first restore may have emptied a table: start again without snapshots
                snapshots = false;
                snapshotOff = "taking the snapshot failed: " + e.getMessage();
                dropAndSetUp();
                setUps++;
            }
        }
    }

    /** What the actors of the run since the last reset sent: only queries, DML and transaction control, or more. */
    void ran(List<Step> steps) {
        boolean only = true;
        for (Step s : steps) {
            String word = firstWord(s.sql());
            String sql = s.sql() == null ? "" : s.sql().strip().toLowerCase(java.util.Locale.ROOT);
            only &= ONLY_DML.contains(word)
                    // MariaDB's BEGIN NOT ATOMIC ... END and SET STATEMENT ... FOR may wrap DDL
                    && !(word.equals("begin") && sql.matches("(?s)begin\\s+not\\s+atomic.*"))
                    && !(word.equals("set") && sql.matches("(?s)set\\s+statement\\b.*"));
        }
        lastRunOnlyDml = only;
    }

    private static final Set<String> ONLY_DML = Set.of("select", "insert", "update", "delete", "replace", "with",
            "values", "table", "begin", "start", "commit", "rollback", "savepoint", "release", "set", "show", "lock",
            "unlock", "explain");

    private static String firstWord(String sql) {
        if (sql == null) {
            return "";
        }
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (Character.isWhitespace(ch) || ch == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * How the resets of this exploration went: how often the setup ran, how often the snapshot was restored, and why
     * snapshots were not used (any more), e.g. {@code "set up 1, restored 13"}.
     */
    String summary() {
        return "set up " + setUps + ", restored " + restores + (snapshotOff == null ? "" : "; no snapshot: " + snapshotOff);
    }

    private void dropAndSetUp() throws Exception {
        if (keepDatabase) {
            if (setup != null) {
                setup.run(db);
            }
            return;
        }
        Connection c = plain.physical();
        if (!checked) {
            refuseOtherData(c);
            checked = true;
        }
        switch (target.kind) {
            case POSTGRES -> {
                if (container == null) {
                    container = scalar(c, "select current_schema()");
                    if (container == null) {
                        throw new IllegalStateException("The PostgreSQL connection has no current schema; give the URL a "
                                + "currentSchema=... parameter so the interleaver knows what it may drop");
                    }
                }
                try (Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    String quoted = '"' + container.replace("\"", "\"\"") + '"';
                    st.execute("DROP SCHEMA IF EXISTS " + quoted + " CASCADE");
                    st.execute("CREATE SCHEMA " + quoted);
                    st.execute("COMMENT ON SCHEMA " + quoted + " IS '" + MARK + "'");
                    c.commit();
                } finally {
                    c.setAutoCommit(true);
                }
            }
            case MARIADB -> {
                if (container == null) {
                    container = scalar(c, "select database()");
                    if (container == null) {
                        throw new IllegalStateException("The MariaDB connection has no current database; name one in the URL");
                    }
                }
                List<String> tables = new ArrayList<>();
                List<String> views = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select table_name, table_type from information_schema.tables "
                             + "where table_schema = database()")) {
                    while (rs.next()) {
                        String name = "`" + rs.getString(1).replace("`", "``") + "`";
                        if (!rs.getString(2).equals("TEMPORARY")) {   // listed since MariaDB 11.2; not ours to drop
                            (rs.getString(2).contains("VIEW") ? views : tables).add(name);
                        }
                    }
                }
                try (Statement st = c.createStatement()) {
                    if (!views.isEmpty()) {
                        st.execute("DROP VIEW IF EXISTS " + String.join(", ", views));
                    }
                    if (!tables.isEmpty()) {
                        st.execute("SET FOREIGN_KEY_CHECKS = 0");
                        st.execute("DROP TABLE IF EXISTS " + String.join(", ", tables));
                        st.execute("SET FOREIGN_KEY_CHECKS = 1");
                    }
                    st.execute("ALTER DATABASE `" + container.replace("`", "``") + "` COMMENT = '" + MARK + "'");
                }
            }
            case SQLITE -> {
                List<String> drops = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select type, name from sqlite_master "
                             + "where type in ('table', 'view') and name not like 'sqlite_%'")) {
                    while (rs.next()) {
                        drops.add("DROP " + rs.getString(1).toUpperCase(java.util.Locale.ROOT) + " IF EXISTS \""
                                + rs.getString(2).replace("\"", "\"\"") + "\"");
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA journal_mode = WAL");   // readers and the writer do not block each other
                    st.execute("PRAGMA foreign_keys = OFF");
                    st.execute("BEGIN");
                    for (String d : drops) {
                        st.execute(d);
                    }
                    st.execute("COMMIT");
                    st.execute("PRAGMA foreign_keys = ON");
                    st.execute("PRAGMA application_id = " + SQLITE_MARK);
                }
            }
        }
        if (setup != null) {
            setup.run(db);
        }
    }

    /**
     * Before the first drop on a database named by a URL: refuse when it holds tables or views that no interleaver
     * created (the schema, database or file carries the mark an interleaver leaves), unless the user said so.
     */
    private void refuseOtherData(Connection c) throws SQLException {
        if (dropOthers) {
            return;
        }
        String mark;
        String tables;
        String where;
        switch (target.kind) {
            case POSTGRES -> {
                mark = scalar(c, "select obj_description(oid, 'pg_namespace') from pg_namespace "
                        + "where nspname = current_schema()");
                tables = scalar(c, "select string_agg(table_name, ', ' order by table_name) from "
                        + "information_schema.tables where table_schema = current_schema()");
                where = "schema " + scalar(c, "select current_schema()");
            }
            case MARIADB -> {
                mark = scalar(c, "select schema_comment from information_schema.schemata where schema_name = database()");
                tables = scalar(c, "select group_concat(table_name order by table_name separator ', ') from "
                        + "information_schema.tables where table_schema = database()");
                where = "database " + scalar(c, "select database()");
            }
            case SQLITE -> {
                mark = scalar(c, "pragma application_id");
                mark = String.valueOf(SQLITE_MARK).equals(mark) ? MARK : null;
                tables = scalar(c, "select group_concat(name, ', ') from sqlite_master "
                        + "where type in ('table', 'view') and name not like 'sqlite_%'");
                where = "file";
            }
            default -> throw new IllegalStateException(target.kind.name());
        }
        if (tables != null && !tables.isEmpty() && !MARK.equals(mark)) {
            throw new IllegalStateException("The interleaver drops everything in the " + where + " of " + target
                    + " before every schedule, and it holds tables no interleaver created: " + tables + ". Point it at "
                    + "an empty schema or database of its own (PostgreSQL: a currentSchema=... URL parameter), say "
                    + ".keepDatabase() and let the setup re-create its own tables, or say .dropExistingTables() if "
                    + "they may go");
        }
    }

    /** Left on what the interleaver emptied (schema or database comment), so that it may empty it again. */
    static final String MARK = "holdfast interleaver: emptied before every schedule";
    /** SQLite's header field for the same purpose ({@code PRAGMA application_id}): "HfIl". */
    static final int SQLITE_MARK = 0x48664966;

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
