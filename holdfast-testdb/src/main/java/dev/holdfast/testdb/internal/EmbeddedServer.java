package dev.holdfast.testdb.internal;

import dev.holdfast.testdb.DatabaseKind;

/**
 * A database server started inside the test JVM when no URL names one: the service that
 * {@code holdfast-testdb-embedded} provides through {@link java.util.ServiceLoader}. Not for users: add that artifact
 * to the test classpath, or name a server (docs/testing.md).
 */
public interface EmbeddedServer {
    /** The database this starts. */
    DatabaseKind kind();

    /**
     * Starts the server and arranges its stop at JVM exit. Called at most once per JVM.
     *
     * @throws IllegalStateException when it cannot start, in one line naming where its log is
     */
    Started start();

    /** Where a started server listens: a JDBC URL for an administrative connection, and who to connect as. */
    record Started(String url, String user, String password, String description) {}
}
