package dev.holdfast.testkit.audit;

import dev.holdfast.error.ConnectionFailedException;
import dev.holdfast.Database;
import dev.holdfast.Isolation;
import dev.holdfast.testkit.Interleaver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database an audit runs against: its product, the levels to measure (each with the URL to run it on), the
 * interleaver that runs a script there, and the audit's table. With no URL it is two SQLite files in a new temporary directory, one in SQLite's
 * default rollback-journal mode and one in WAL mode, deleted on {@link #close()}.
 */
final class AuditTarget implements AutoCloseable {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern WORD_TEST = Pattern.compile("\\btest\\b");

    enum Kind { SQLITE, POSTGRES, MARIADB }

    final Kind kind;
    final String url;
    final String product;
    final List<AuditLevel> levels;
    private final String user;
    private final String password;
    private final String table;
    private final Path tempDir;

    private AuditTarget(Kind kind, String url, String user, String password, String table, Path tempDir,
                        List<Isolation> requested) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.tempDir = tempDir;
        try (Connection c = connect(url)) {
            this.product = c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
            refuseExistingTable(c);
            this.levels = levels(c, requested);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Connects to the database (or creates the SQLite files when {@code url} is null) and checks that the audit can
     * run there.
     *
     * @throws ConnectionFailedException naming the URL and the problem when no connection can be made
     * @throws IllegalArgumentException  when the table exists already, or a level is asked for that the database
     *                                   does not offer
     */
    static AuditTarget open(String url, String user, String password, String table, List<Isolation> requested) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("The audit's table name must be a plain identifier (letters, digits, _), "
                    + "got '" + table + "'");
        }
        if (url == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("holdfast-audit");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary directory for the SQLite audit files; set "
                        + "java.io.tmpdir to a writable directory or pass --url", e);
            }
            return new AuditTarget(Kind.SQLITE, "jdbc:sqlite:" + dir.resolve("rollback-journal.db"), null, null,
                    table, dir, requested);
        }
        String u = url.toLowerCase(Locale.ROOT);
        Kind kind = u.startsWith("jdbc:sqlite:") ? Kind.SQLITE
                : u.startsWith("jdbc:postgresql:") ? Kind.POSTGRES
                : u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:") ? Kind.MARIADB
                : null;
        if (kind == null) {
            throw new IllegalArgumentException("The audit runs on SQLite, PostgreSQL and MariaDB/MySQL: give a URL "
                    + "starting with jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:, got "
                    + redact(url));
        }
        if (kind != Kind.SQLITE) {
            // core's connection check: its message names the URL, the problem and the likely fix
            try (Database db = Database.builder(url).user(user).password(password).poolSize(1)
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                db.queryScalar(Integer.class, "select 1");
            }
        }
        return new AuditTarget(kind, url, user, password, table, null, requested);
    }

    private List<AuditLevel> levels(Connection c, List<Isolation> requested) throws SQLException {
        List<Isolation> asked = requested.isEmpty() ? List.of(Isolation.values()) : requested;
        List<AuditLevel> out = new ArrayList<>();
        if (kind != Kind.SQLITE) {
            for (Isolation level : Isolation.values()) {
                if (asked.contains(level)) {
                    out.add(new AuditLevel(level.sql(), level, url));
                }
            }
            return out;
        }
        if (!asked.contains(Isolation.SERIALIZABLE)) {
            throw new IllegalArgumentException("SQLite runs every transaction SERIALIZABLE; audit it with --isolation "
                    + "serializable or all, not " + asked);
        }
        if (tempDir == null) {
            out.add(new AuditLevel("SERIALIZABLE (journal_mode=" + journalMode(c) + ")", null, url));
            return out;
        }
        out.add(new AuditLevel("SERIALIZABLE (journal_mode=" + journalMode(c) + ")", null, url));
        String wal = "jdbc:sqlite:" + tempDir.resolve("wal.db");
        try (Connection w = connect(wal); Statement st = w.createStatement()) {
            st.execute("pragma journal_mode = wal");
            out.add(new AuditLevel("SERIALIZABLE (journal_mode=" + journalMode(w) + ")", null, wal));
        }
        return out;
    }

    private static String journalMode(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("pragma journal_mode")) {
            rs.next();
            return rs.getString(1).toLowerCase(Locale.ROOT);
        }
    }

    private void refuseExistingTable(Connection c) {
        try (Statement st = c.createStatement()) {
            st.executeQuery("select count(*) from " + table).close();
        } catch (SQLException absent) {
            return;
        }
        throw new IllegalArgumentException("The audit creates, fills and drops its own table '" + table + "', and "
                + redact(url) + " has a table of that name already. Point --url at a scratch database, name another "
                + "table with --table, or drop '" + table + "' if an interrupted audit left it behind.");
    }

    /**
     * An interleaver on this level's database that keeps everything but the audit's table, which its setup drops and
     * re-creates with Hermitage's two rows before each script.
     */
    Interleaver.Builder interleaver(AuditLevel level) {
        return Interleaver.on(level.url(), user, password).keepDatabase().setup(db -> {
            db.execute("drop table if exists " + table);
            db.execute("create table " + table + " (id int primary key, value int)"
                    + (kind == Kind.MARIADB ? " engine=innodb" : ""));
            db.execute("insert into " + table + " (id, value) values (1, 10), (2, 20)");
        });
    }

    /** The table's rows, id to value. */
    TreeMap<Integer, Integer> rows(AuditLevel level) throws SQLException {
        TreeMap<Integer, Integer> rows = new TreeMap<>();
        try (Connection c = connect(level.url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id, value from " + table)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), (Integer) rs.getObject(2, Integer.class));
            }
        }
        return rows;
    }

    /** A script's statement with the audit's table name. */
    String sql(String scriptSql) {
        return table.equals("test") ? scriptSql : WORD_TEST.matcher(scriptSql).replaceAll(table);
    }

    @Override
    public void close() {
        for (AuditLevel level : levels) {
            try (Connection c = connect(level.url()); Statement st = c.createStatement()) {
                st.execute("drop table if exists " + table);
            } catch (SQLException ignored) {
                // the audit's result stands; a leftover table is reported by the next audit
            }
        }
        if (tempDir != null) {
            try (Stream<Path> paths = Files.walk(tempDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    private Connection connect(String jdbcUrl) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    private ConnectionFailedException failed(SQLException e) {
        return new ConnectionFailedException("Cannot audit " + redact(url) + ": " + e.getMessage(), e);
    }

    /** The URL without its password, fit for a message (mirrors core's rule). */
    static String redact(String url) {
        if (url == null) {
            return "an embedded SQLite file";
        }
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
