package dev.holdfast.testkit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source actors get. Called from an actor's thread, it hands out that actor's connection wrapped so that
 * every statement, commit and rollback is a step of the schedule ({@link GatedConnection}); called from any other
 * thread (setup, oracles, {@code Database.build()} reading metadata) it hands out a plain connection.
 */
final class GatedDataSource implements DataSource {
    private final DataSource plain;

    GatedDataSource(DataSource plain) {
        this.plain = plain;
    }

    @Override
    public Connection getConnection() throws SQLException {
        ScheduleRun.ActorState actor = ScheduleRun.current();
        if (actor == null) {
            return plain.getConnection();
        }
        return GatedConnection.wrap(actor.run.borrow(actor), actor);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The interleaver's data source connects as the test database's user; "
                + "call getConnection() without arguments");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
