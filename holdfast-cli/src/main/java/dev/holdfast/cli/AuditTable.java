package dev.holdfast.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * The table {@code holdfast audit} creates in the user's database, dropped again if the user interrupts the audit
 * (the audit drops it itself when it ends normally). Only a table that did not exist before the audit is ever
 * dropped: the audit refuses to start on an existing one.
 */
final class AuditTable {
    private final String url;
    private final Properties credentials = new Properties();
    private final String table;

    AuditTable(String url, String user, String password, String table) {
        this.url = url;
        this.table = table;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
    }

    /**
     * Arranges the drop on Ctrl-C when the table does not exist yet; {@code null} when it does (the audit will refuse)
     * or the database cannot be reached (the audit will say why).
     */
    OnInterrupt dropOnInterrupt(Runnable holdTheAudit) {
        try (Connection c = DriverManager.getConnection(url, credentials)) {
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
                if (rs.next()) {
                    return null;
                }
            }
            // an unquoted name may be stored folded (lower case on PostgreSQL, upper elsewhere)
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table.toLowerCase(Locale.ROOT), null)) {
                if (rs.next()) {
                    return null;
                }
            }
        } catch (SQLException e) {
            return null;
        }
        return OnInterrupt.run("dropping the audit's table " + table, holdTheAudit, this::drop);
    }

    /**
     * Interrupted mid-anomaly, the audit's own sessions may hold locks on the table: the DROP queues behind them (and
     * ahead of anything new) until their transactions end. On PostgreSQL, sessions still holding it after the lock
     * timeout are the audit's own and are ended.
     */
    private void drop() {
        String lower = url.toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(url, credentials); Statement st = c.createStatement()) {
            if (lower.startsWith("jdbc:postgresql:")) {
                st.execute("SET lock_timeout = '5s'");
                try {
                    st.execute("DROP TABLE IF EXISTS " + table);
                    return;
                } catch (SQLException timedOut) {
                    st.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE pid <> pg_backend_pid()"
                            + " AND locktype = 'relation' AND relation = to_regclass('" + table.replace("'", "''") + "')");
                }
            } else if (!lower.startsWith("jdbc:sqlite:")) {
                st.execute("SET SESSION lock_wait_timeout = 30");
            }
            st.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            throw new IllegalStateException("drop table " + table + " yourself: " + e.getMessage(), e);
        }
    }
}
