package dev.holdfast.testkit;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One plain connection, kept open between borrowings, for the code that runs outside the actors and one thing at a
 * time: state reset, setup, invariants, final-state queries. Reusing it saves a connection per statement (Holdfast
 * borrows one per transaction), which on PostgreSQL is most of the cost of a reset.
 */
final class PlainDataSource extends DataSourceBase implements AutoCloseable {
    private final Target target;
    private Connection physical;

    PlainDataSource(Target target) {
        this.target = target;
    }

    /** The physical connection itself, for the state reset. */
    synchronized Connection physical() throws SQLException {
        if (physical == null || physical.isClosed()) {
            physical = target.open();
        }
        return physical;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
        Connection raw = physical();
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(PlainDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (!closed[0]) {
                                closed[0] = true;
                                if (!raw.getAutoCommit()) {
                                    raw.rollback();
                                    raw.setAutoCommit(true);
                                }
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return closed[0] || raw.isClosed();
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "toString" -> {
                            return "PlainConnection[" + target + "]";
                        }
                        default -> {
                            return GatedConnection.invokeRaw(raw, method, args);
                        }
                    }
                });
    }

    /** Closes the physical connection; the next borrowing opens a new one. */
    @Override
    public synchronized void close() {
        if (physical != null) {
            try {
                physical.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
            physical = null;
        }
    }
}
