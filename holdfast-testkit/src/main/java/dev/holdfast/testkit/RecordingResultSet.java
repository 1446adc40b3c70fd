package dev.holdfast.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;

/**
 * A result set (JDK dynamic proxy) that notes the rows an actor moves to and the values it reads, so the trace shows
 * "what the actor saw" without reading anything the actor did not.
 */
final class RecordingResultSet implements InvocationHandler {
    private final ResultSet raw;
    private final StepRecord step;
    private final Object statement;

    private RecordingResultSet(ResultSet raw, StepRecord step, Object statement) {
        this.raw = raw;
        this.step = step;
        this.statement = statement;
    }

    static ResultSet wrap(ResultSet raw, StepRecord step, Object statementProxy) {
        step.row(false);
        return (ResultSet) Proxy.newProxyInstance(RecordingResultSet.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, new RecordingResultSet(raw, step, statementProxy));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "getStatement" -> {
                return statement != null ? statement : raw.getStatement();
            }
            default -> { }
        }
        Object value = GatedConnection.invokeRaw(raw, method, args);
        if (name.equals("next")) {
            step.row((Boolean) value);
        } else if (name.startsWith("get") && args != null && args.length >= 1
                && !name.equals("getMetaData") && !name.equals("getStatement")) {
            // getLong and friends return 0 or false for SQL NULL; the trace shows what the row holds: null
            step.value((value instanceof Number || value instanceof Boolean) && raw.wasNull() ? null : value);
        }
        return value;
    }
}
