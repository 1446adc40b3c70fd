package dev.holdfast.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The one connection of a {@link TestIsolation#ROLLBACK} test, as the code under test sees it (a JDK dynamic proxy).
 * The physical connection stays inside one outer transaction for the whole test; the code's own transactions become
 * savepoints in it: beginning one ({@code setAutoCommit(false)}, or {@code BEGIN} sent as SQL, which is how Holdfast
 * begins on SQLite) sets a savepoint, {@code commit} releases it, {@code rollback} rolls back to it. {@code close}
 * leaves the connection open. Isolation level and read-only changes are ignored: the outer transaction's apply.
 */
final class RollbackConnection implements InvocationHandler {
    private final Connection physical;
    private boolean inTransaction;   // the code under test's transaction, as a savepoint
    private int savepoints;

    private RollbackConnection(Connection physical) {
        this.physical = physical;
    }

    /** A view of {@code physical}, which must already be inside the outer transaction (autocommit off). */
    static Connection over(Connection physical) {
        return (Connection) Proxy.newProxyInstance(RollbackConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new RollbackConnection(physical));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close", "setTransactionIsolation", "setReadOnly" -> {
                return null;
            }
            case "isClosed" -> {
                return physical.isClosed();
            }
            case "getAutoCommit" -> {
                return !inTransaction;
            }
            case "setAutoCommit" -> {
                boolean auto = (Boolean) args[0];
                if (!auto && !inTransaction) {
                    begin();
                } else if (auto && inTransaction) {
                    commit();
                }
                return null;
            }
            case "commit" -> {
                requireTransaction("commit");
                commit();
                begin();
                return null;
            }
            case "rollback" -> {
                if (args == null || args.length == 0) {
                    requireTransaction("rollback");
                    sql("ROLLBACK TO SAVEPOINT " + current());
                    return null;
                }
                return GatedConnection.invokeRaw(physical, method, args);
            }
            case "createStatement" -> {
                Statement st = (Statement) GatedConnection.invokeRaw(physical, method, args);
                return Proxy.newProxyInstance(RollbackConnection.class.getClassLoader(), new Class<?>[] {Statement.class},
                        (p, m, a) -> {
                            if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String s
                                    && translate(s)) {
                                return m.getReturnType() == boolean.class ? false : 0;
                            }
                            if (m.getName().equals("getConnection")) {
                                return proxy;
                            }
                            return GatedConnection.invokeRaw(st, m, a);
                        });
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "RollbackConnection[" + physical + "]";
            }
            default -> {
                return GatedConnection.invokeRaw(physical, method, args);
            }
        }
    }

    /** Transaction control sent as SQL, turned into savepoint commands. True when {@code sql} was one. */
    private boolean translate(String sql) throws SQLException {
        String s = sql.strip().toUpperCase(Locale.ROOT);
        if (ActorConnection.startsTransaction(s)) {
            begin();
            return true;
        }
        if (s.equals("COMMIT") || s.equals("END")) {
            requireTransaction(s);
            commit();
            return true;
        }
        if (s.equals("ROLLBACK")) {
            requireTransaction(s);
            sql("ROLLBACK TO SAVEPOINT " + current());
            sql("RELEASE SAVEPOINT " + current());
            inTransaction = false;
            return true;
        }
        return false;
    }

    private void begin() throws SQLException {
        savepoints++;
        sql("SAVEPOINT " + current());
        inTransaction = true;
    }

    private void commit() throws SQLException {
        sql("RELEASE SAVEPOINT " + current());
        inTransaction = false;
    }

    private String current() {
        return "hf_test_tx_" + savepoints;
    }

    private void requireTransaction(String what) throws SQLException {
        if (!inTransaction) {
            throw new SQLException(what + " outside a transaction (autocommit is on)");
        }
    }

    private void sql(String sql) throws SQLException {
        try (Statement st = physical.createStatement()) {
            st.execute(sql);
        }
    }
}
