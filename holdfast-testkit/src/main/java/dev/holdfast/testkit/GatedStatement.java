package dev.holdfast.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An actor's statement (a JDK dynamic proxy over {@link Statement}, {@link java.sql.PreparedStatement} or
 * {@link java.sql.CallableStatement}): every {@code execute*} call is a step, with the SQL and the values bound by
 * the {@code set*} calls recorded for the trace. Result sets are wrapped by {@link RecordingResultSet} so the trace
 * shows the values the actor read.
 */
final class GatedStatement implements InvocationHandler {
    private final Statement raw;
    private final String preparedSql;        // null for a plain Statement
    private final Connection connection;     // the proxy, so that getConnection() does not leak the raw one
    private final ActorConnection physical;
    private final ScheduleRun.ActorState actor;
    private final List<Object> parameters = new ArrayList<>();
    private final List<String> batchSql = new ArrayList<>();
    private List<Object> firstBatchRow;
    private int batchRows;

    private GatedStatement(Statement raw, String preparedSql, Connection connection, ActorConnection physical,
                           ScheduleRun.ActorState actor) {
        this.raw = raw;
        this.preparedSql = preparedSql;
        this.connection = connection;
        this.physical = physical;
        this.actor = actor;
    }

    static Statement wrap(Statement raw, String preparedSql, Connection connection, ActorConnection physical,
                          ScheduleRun.ActorState actor, Class<?> type) {
        return (Statement) Proxy.newProxyInstance(GatedStatement.class.getClassLoader(), new Class<?>[] {type},
                new GatedStatement(raw, preparedSql, connection, physical, actor));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.startsWith("execute")) {
            return execute(method, args);
        }
        switch (name) {
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "GatedStatement[" + actor.name + (preparedSql == null ? "" : ": " + preparedSql) + "]";
            }
            case "getConnection" -> {
                return connection;
            }
            case "getResultSet" -> {
                ResultSet rs = raw.getResultSet();
                return rs == null || actor.current == null ? rs : RecordingResultSet.wrap(rs, actor.current, proxy);
            }
            case "clearParameters" -> parameters.clear();
            case "addBatch" -> {
                if (args == null || args.length == 0) {
                    if (firstBatchRow == null) {
                        firstBatchRow = new ArrayList<>(parameters);
                    }
                    batchRows++;
                } else {
                    batchSql.add((String) args[0]);
                }
            }
            case "clearBatch" -> {
                firstBatchRow = null;
                batchRows = 0;
                batchSql.clear();
            }
            default -> {
                if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index
                        && preparedSql != null) {
                    bind(index, name.equals("setNull") ? null : args[1]);
                }
            }
        }
        return GatedConnection.invokeRaw(raw, method, args);
    }

    private Object execute(Method method, Object[] args) throws Exception {
        boolean batch = method.getName().contains("Batch");
        String sql;
        List<Object> values;
        if (batch) {
            sql = preparedSql != null ? preparedSql + " ×" + batchRows : String.join("; ", batchSql);
            values = firstBatchRow == null ? List.of() : firstBatchRow;
        } else if (args != null && args.length > 0 && args[0] instanceof String s) {
            sql = s;
            values = List.of();
        } else {
            sql = preparedSql;
            values = new ArrayList<>(parameters);
        }
        Object result = actor.run.step(actor, physical, sql, values, false,
                () -> GatedConnection.invokeRaw(raw, method, args));
        if (batch) {
            firstBatchRow = null;
            batchRows = 0;
            batchSql.clear();
        }
        if (result instanceof ResultSet rs) {
            return RecordingResultSet.wrap(rs, actor.current, null);
        }
        return result;
    }

    private void bind(int index, Object value) {
        while (parameters.size() < index) {
            parameters.add(null);
        }
        parameters.set(index - 1, value instanceof byte[] b ? Arrays.toString(b) : value);
    }
}
