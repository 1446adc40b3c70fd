package dev.holdfast.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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

    private List<String> labels;

    /**
     * Notes every column of the row just moved to, for {@link Step#rows()}: a conformance check compares whole
     * results. Read with {@code getObject}, before the actor reads anything, so what the actor reads is unchanged.
     */
    private void recordWholeRow() throws SQLException {
        if (labels == null) {
            ResultSetMetaData md = raw.getMetaData();
            List<String> l = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                l.add(md.getColumnLabel(i));
            }
            labels = List.copyOf(l);
        }
        List<String> values = new ArrayList<>(labels.size());
        for (int i = 1; i <= labels.size(); i++) {
            Object v = raw.getObject(i);
            values.add(v == null ? null : String.valueOf(v));
        }
        step.fullRow(labels, values);
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
            if ((Boolean) value) {
                recordWholeRow();
            }
        } else if (name.startsWith("get") && args != null && args.length >= 1
                && !name.equals("getMetaData") && !name.equals("getStatement")) {
            // getLong and friends return 0 or false for SQL NULL; the trace shows what the row holds: null
            step.value((value instanceof Number || value instanceof Boolean) && raw.wasNull() ? null : value);
        }
        return value;
    }
}
