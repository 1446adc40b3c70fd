/**
 * Real database clusters for tests, started from the machine's own server binaries: a PostgreSQL primary with
 * streaming replicas ({@link dev.holdfast.testdb.cluster.PostgresCluster}) and a MariaDB Galera cluster
 * ({@link dev.holdfast.testdb.cluster.GaleraCluster}).
 *
 * <p>Each runs on fixed loopback ports of its own, in data directories under {@code /tmp/holdfast-clusters}, and is
 * stopped when the test class ends (as a JUnit extension), when it is closed, or at the latest when the JVM exits.
 * Processes left behind by a JVM that was killed are stopped by the next start.
 */
package dev.holdfast.testdb.cluster;
