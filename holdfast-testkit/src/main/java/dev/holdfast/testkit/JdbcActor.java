package dev.holdfast.testkit;

import javax.sql.DataSource;

/**
 * An actor written against a plain {@link DataSource}: raw JDBC, or Hibernate, jOOQ, Jdbi built on it. Every
 * statement, commit and rollback on a connection it borrows is a step.
 *
 * <pre>{@code
 * JdbcActor increment = ds -> {
 *     try (Connection c = ds.getConnection()) {
 *         c.setAutoCommit(false);
 *         ResultSet rs = c.createStatement().executeQuery("select n from counter where id = 1");
 *         rs.next();
 *         c.createStatement().executeUpdate("update counter set n = " + (rs.getInt(1) + 1) + " where id = 1");
 *         c.commit();
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface JdbcActor {
    void run(DataSource dataSource) throws Exception;
}
