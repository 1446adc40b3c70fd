package dev.holdfast.bench.peers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Hand-written JDBC: the floor. Prepared statements, typed getters, explicit commit, nothing else. */
final class JdbcLibrary implements Library {
    static final String SELECT = "select id, foo, bar, name, version from thing where id = ?";
    static final String INSERT = "insert into thing (foo, bar, name, version) values (?, ?, ?, 0)";

    private final DataSource ds;
    private final boolean sqlite;

    JdbcLibrary(DataSource ds, Target target) {
        this.ds = ds;
        this.sqlite = target.isSqlite();
    }

    @Override
    public Thing get(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Thing(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getLong(5));
            }
        }
    }

    @Override
    public long insert(int i) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, i);
            ps.setInt(2, i);
            ps.setString(3, "new-" + i);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @Override
    public int insertBatch(int first, int count) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int i = first; i < first + count; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, i);
                    ps.setString(3, "new-" + i);
                    ps.addBatch();
                }
                int n = ps.executeBatch().length;
                c.commit();
                return n;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** {@code UPDATE} in a transaction: two round trips (the statement, the commit). Writes blind: no read. */
    @Override
    public void change(long id, int foo) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update thing set foo = ? where id = ?")) {
                ps.setInt(1, foo);
                ps.setLong(2, id);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * What {@code modify} does, by hand: {@code SELECT ... FOR UPDATE}, then {@code UPDATE} of the changed column with
     * the version bumped, then commit (on SQLite: {@code BEGIN IMMEDIATE} takes the write lock instead).
     */
    void changeLocked(long id, int foo) throws SQLException {
        try (Connection c = ds.getConnection()) {
            begin(c);
            try {
                try (PreparedStatement ps = c.prepareStatement(SELECT + (sqlite ? "" : " for update"))) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(2) == foo) {
                            commit(c);
                            return;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "update thing set foo = ?, version = version + 1 where id = ?")) {
                    ps.setInt(1, foo);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
                commit(c);
            } catch (SQLException e) {
                rollback(c);
                throw e;
            } finally {
                end(c);
            }
        }
    }

    @Override
    public Increment increment(String variant) {
        return switch (variant) {
            case "naive" -> () -> {
                readModifyWrite(false);
                return 0;
            };
            case "forUpdate" -> () -> {
                readModifyWrite(true);
                return 0;
            };
            case "atomic" -> () -> {
                try (Connection c = ds.getConnection();
                     PreparedStatement ps = c.prepareStatement("update counter set n = n + 1 where id = 1")) {
                    ps.executeUpdate();
                }
                return 0;
            };
            default -> throw new IllegalArgumentException("jdbc has no counter variant " + variant);
        };
    }

    /** Read the counter, add one in Java, write it back, in one transaction; with a row lock when {@code lock}. */
    private void readModifyWrite(boolean lock) throws SQLException {
        try (Connection c = ds.getConnection()) {
            if (lock) {
                begin(c);
            } else {
                c.setAutoCommit(false);
            }
            try {
                long n;
                try (PreparedStatement ps = c.prepareStatement(
                        "select n from counter where id = 1" + (lock && !sqlite ? " for update" : ""));
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
                try (PreparedStatement ps = c.prepareStatement("update counter set n = ? where id = 1")) {
                    ps.setLong(1, n + 1);
                    ps.executeUpdate();
                }
                if (lock) {
                    commit(c);
                } else {
                    c.commit();
                }
            } catch (SQLException e) {
                if (lock) {
                    rollback(c);
                } else {
                    c.rollback();
                }
                throw e;
            } finally {
                if (lock) {
                    end(c);
                } else {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    // A locking transaction: JDBC's on servers; on SQLite BEGIN IMMEDIATE as SQL (the driver's own BEGIN is DEFERRED).
    private void begin(Connection c) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("begin immediate");
            }
        } else {
            c.setAutoCommit(false);
        }
    }

    private void commit(Connection c) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("commit");
            }
        } else {
            c.commit();
        }
    }

    private void rollback(Connection c) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("rollback");
            }
        } else {
            c.rollback();
        }
    }

    private void end(Connection c) throws SQLException {
        if (!sqlite) {
            c.setAutoCommit(true);
        }
    }
}
