package dev.holdfast.internal;

import dev.holdfast.internal.dialect.Dialect;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * What an engine needs from the database it serves: its dialect, a way to borrow a connection that reports failures
 * well, and a way to open a transaction on a connection. The engine never sees the database itself.
 */
public interface Sessions {

    Dialect dialect();

    /** Borrows a connection, turning a failure into a message that names the URL and the likely fix. */
    Connection connect(DataSource dataSource);

    /**
     * Opens a transaction on {@code connection}; {@code isolationLevel} is a JDBC level, 0 for none (the connection's
     * own).
     */
    Session open(Connection connection, Boundary boundary, int isolationLevel, boolean readOnly, int attempt,
                 long deadlineNanos);
}
