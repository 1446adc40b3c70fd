package dev.holdfast.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

/**
 * An actor's view of its connection (a JDK dynamic proxy): {@code commit}, {@code rollback} and savepoint calls are
 * steps; statements it creates are wrapped by {@link GatedStatement}; {@code close} gives the connection back to the
 * actor for its next transaction instead of closing it. Everything else goes straight to the driver.
 */
final class GatedConnection implements InvocationHandler {
    private final ActorConnection connection;
    private final ScheduleRun.ActorState actor;
    private Connection self;
    private boolean closed;

    private GatedConnection(ActorConnection connection, ScheduleRun.ActorState actor) {
        this.connection = connection;
        this.actor = actor;
    }

    static Connection wrap(ActorConnection connection, ScheduleRun.ActorState actor) {
        GatedConnection handler = new GatedConnection(connection, actor);
        handler.self = (Connection) Proxy.newProxyInstance(GatedConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        return handler.self;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Connection raw = connection.raw;
        switch (method.getName()) {
            case "close" -> {
                if (!closed) {
                    closed = true;
                    actor.run.giveBack(actor, connection);
                }
                return null;
            }
            case "isClosed" -> {
                return closed || raw.isClosed();
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "GatedConnection[" + actor.name + "]";
            }
            case "unwrap" -> {
                Class<?> iface = (Class<?>) args[0];
                return iface.isInstance(proxy) ? proxy : raw.unwrap(iface);
            }
            case "isWrapperFor" -> {
                return ((Class<?>) args[0]).isInstance(proxy) || raw.isWrapperFor((Class<?>) args[0]);
            }
            default -> { }
        }
        if (closed) {
            throw new SQLException("Connection." + method.getName() + " called after close()");
        }
        switch (method.getName()) {
            case "commit" -> {
                return actor.run.step(actor, connection, "COMMIT", List.of(), true, () -> {
                    raw.commit();
                    return null;
                });
            }
            case "rollback" -> {
                if (args == null || args.length == 0) {
                    return actor.run.step(actor, connection, "ROLLBACK", List.of(), true, () -> {
                        raw.rollback();
                        return null;
                    });
                }
                Savepoint sp = (Savepoint) args[0];
                return actor.run.step(actor, connection, "ROLLBACK TO SAVEPOINT " + name(sp), List.of(), false, () -> {
                    raw.rollback(sp);
                    return null;
                });
            }
            case "setSavepoint" -> {
                String sql = args == null || args.length == 0 ? "SAVEPOINT" : "SAVEPOINT " + args[0];
                return actor.run.step(actor, connection, sql, List.of(), false, () -> invokeRaw(raw, method, args));
            }
            case "releaseSavepoint" -> {
                return actor.run.step(actor, connection, "RELEASE SAVEPOINT " + name((Savepoint) args[0]), List.of(),
                        false, () -> invokeRaw(raw, method, args));
            }
            case "setTransactionIsolation" -> {
                connection.isolationChanged = true;
                return invokeRaw(raw, method, args);
            }
            case "createStatement" -> {
                return GatedStatement.wrap((Statement) invokeRaw(raw, method, args), null, self, connection, actor,
                        Statement.class);
            }
            case "prepareStatement", "prepareCall" -> {
                return GatedStatement.wrap((Statement) invokeRaw(raw, method, args), (String) args[0], self,
                        connection, actor, method.getReturnType());
            }
            default -> {
                return invokeRaw(raw, method, args);
            }
        }
    }

    private static String name(Savepoint sp) {
        try {
            return sp.getSavepointName();
        } catch (SQLException unnamed) {
            try {
                return String.valueOf(sp.getSavepointId());
            } catch (SQLException e) {
                return "?";
            }
        }
    }

    static Object invokeRaw(Object target, Method method, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new SQLException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on the driver's object", e);
        }
    }
}
