package dev.holdfast.testkit.detect.internal;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.RecordedStatement;
import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A DataSource whose connections record every transaction: java.lang.reflect.Proxy over Connection, Statement,
 * PreparedStatement and CallableStatement. Transaction control by JDBC (setAutoCommit, commit, rollback,
 * setTransactionIsolation) and by SQL text (BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SET TRANSACTION ISOLATION
 * LEVEL) is followed.
 */
public final class RecordingDataSource extends DelegatingDataSource {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static final Pattern ISOLATION = Pattern.compile(
            "^SET\\s+(SESSION\\s+)?(CHARACTERISTICS\\s+AS\\s+)?TRANSACTION\\s+ISOLATION\\s+LEVEL\\s+"
                    + "(READ\\s+UNCOMMITTED|READ\\s+COMMITTED|REPEATABLE\\s+READ|SERIALIZABLE)");
    private static final Pattern BEGIN = Pattern.compile(
            "^(BEGIN|START\\s+TRANSACTION)(\\s+(WORK|TRANSACTION|IMMEDIATE|DEFERRED|EXCLUSIVE|ISOLATION\\s+LEVEL\\s+"
                    + "(READ\\s+UNCOMMITTED|READ\\s+COMMITTED|REPEATABLE\\s+READ|SERIALIZABLE)).*)?$");

    private final Recorder recorder;
    private volatile DatabaseKind kind;

    public RecordingDataSource(DataSource target, Recorder recorder) {
        super(target);
        this.recorder = recorder;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection real) throws SQLException {
        DatabaseKind k = kind;
        if (k == null) {
            k = kindOf(real.getMetaData().getDatabaseProductName());
            kind = k;
        }
        ConnectionState state = new ConnectionState("connection-" + CONNECTIONS.incrementAndGet(), k,
                levelName(real.getTransactionIsolation()), real.getAutoCommit());
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(real, state));
    }

    /** The database kind of a JDBC product name, or null for another database. */
    public static DatabaseKind kindOf(String product) {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return DatabaseKind.POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return DatabaseKind.MARIADB;
        }
        if (p.contains("sqlite")) {
            return DatabaseKind.SQLITE;
        }
        return null;
    }

    /** SQL's name of a JDBC isolation constant, or null for none. */
    public static String levelName(int level) {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case Connection.TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> null;
        };
    }

    /** What one wrapped connection is doing. */
    private final class ConnectionState {
        final String id;
        final DatabaseKind kind;
        String sessionLevel;          // the connection's level for the next transactions
        String nextLevel;             // SET TRANSACTION ISOLATION LEVEL, for the next transaction only
        String txLevel;               // the level of the open transaction
        boolean autoCommit;
        boolean explicit;             // a BEGIN / START TRANSACTION in autocommit mode

        ConnectionState(String id, DatabaseKind kind, String level, boolean autoCommit) {
            this.id = id;
            this.kind = kind;
            this.sessionLevel = level;
            this.autoCommit = autoCommit;
        }

        String session() {
            return id + " (" + Thread.currentThread().getName() + ")";
        }

        synchronized void executed(String sql, List<Object> params, long nanos) {
            String head = sql.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (control(head)) {
                return;
            }
            RecordedStatement s = new RecordedStatement(sql, params, Duration.ofNanos(nanos));
            if (autoCommit && !explicit) {
                recorder.autocommit(session(), kind, level(), s);
            } else {
                if (!recorder.isOpen(this)) {
                    txLevel = level();
                }
                recorder.statement(this, session(), kind, txLevel, s);
            }
        }

        private String level() {
            String l = nextLevel != null ? nextLevel : sessionLevel;
            nextLevel = null;
            return l;
        }

        /** Follows transaction control sent as SQL; true when {@code head} was such a statement. */
        private boolean control(String head) {
            Matcher iso = ISOLATION.matcher(head);
            if (iso.find()) {
                String level = iso.group(3).replaceAll("\\s+", " ");
                if (iso.group(1) != null || iso.group(2) != null) {
                    sessionLevel = level;
                } else if (recorder.isOpen(this)) {
                    txLevel = level;    // PostgreSQL: SET TRANSACTION as the transaction's first statement
                } else {
                    nextLevel = level;
                }
                return true;
            }
            Matcher begin = BEGIN.matcher(head);
            if (begin.matches()) {
                recorder.end(this, Ending.OPEN);
                explicit = true;
                if (begin.group(4) != null) {
                    nextLevel = begin.group(4).replaceAll("\\s+", " ");
                }
                return true;
            }
            if (head.equals("COMMIT") || head.equals("END") || head.equals("COMMIT WORK") || head.equals("END TRANSACTION")) {
                recorder.end(this, Ending.COMMIT);
                explicit = false;
                return true;
            }
            if ((head.startsWith("ROLLBACK") || head.startsWith("ABORT")) && !head.startsWith("ROLLBACK TO")) {
                recorder.end(this, Ending.ROLLBACK);
                explicit = false;
                return true;
            }
            return head.startsWith("SAVEPOINT") || head.startsWith("RELEASE") || head.startsWith("ROLLBACK TO");
        }

        synchronized void setAutoCommit(boolean on) {
            if (on && !autoCommit) {
                recorder.end(this, Ending.COMMIT);    // JDBC: switching autocommit on commits
            }
            autoCommit = on;
        }

        synchronized void ended(Ending ending) {
            recorder.end(this, ending);
            explicit = false;
        }
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection real;
        private final ConnectionState state;

        ConnectionHandler(Connection real, ConnectionState state) {
            this.real = real;
            this.state = state;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "recording " + real;
                case "unwrap":
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                    break;
                default:
                    break;
            }
            Object result = call(real, method, args);
            switch (name) {
                case "setAutoCommit" -> state.setAutoCommit((Boolean) args[0]);
                case "commit" -> state.ended(Ending.COMMIT);
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        state.ended(Ending.ROLLBACK);
                    }
                }
                case "setTransactionIsolation" -> {
                    synchronized (state) {
                        state.sessionLevel = levelName((Integer) args[0]);
                    }
                }
                case "close" -> state.ended(Ending.OPEN);
                case "createStatement" -> {
                    return statementProxy(Statement.class, (Statement) result, null, proxy);
                }
                case "prepareStatement" -> {
                    return statementProxy(PreparedStatement.class, (Statement) result, (String) args[0], proxy);
                }
                case "prepareCall" -> {
                    return statementProxy(CallableStatement.class, (Statement) result, (String) args[0], proxy);
                }
                default -> { }
            }
            return result;
        }

        private Object statementProxy(Class<?> type, Statement st, String sql, Object connection) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    new StatementHandler(st, sql, state, connection));
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement real;
        private final String preparedSql;
        private final ConnectionState state;
        private final Object connection;
        private final List<Object> params = new ArrayList<>();
        private final List<List<Object>> batch = new ArrayList<>();
        private final List<String> textBatch = new ArrayList<>();

        StatementHandler(Statement real, String preparedSql, ConnectionState state, Object connection) {
            this.real = real;
            this.preparedSql = preparedSql;
            this.state = state;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            int n = args == null ? 0 : args.length;
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "recording " + real;
                case "getConnection":
                    return connection;
                case "unwrap":
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                    break;
                case "clearParameters":
                    params.clear();
                    break;
                case "addBatch":
                    if (n == 0) {
                        batch.add(nullSafe(params));
                    } else {
                        textBatch.add((String) args[0]);
                    }
                    break;
                case "clearBatch":
                    batch.clear();
                    textBatch.clear();
                    break;
                default:
                    if (name.startsWith("set") && n >= 2 && args[0] instanceof Integer index) {
                        bind(index, name.equals("setNull") ? null : args[1]);
                    }
                    break;
            }
            if (name.startsWith("execute")) {
                long start = System.nanoTime();
                try {
                    return call(real, method, args);
                } finally {
                    record(name, n, args, System.nanoTime() - start);
                }
            }
            return call(real, method, args);
        }

        private void record(String name, int n, Object[] args, long nanos) {
            {
                if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                    List<String> sqls = new ArrayList<>();
                    List<List<Object>> rows = new ArrayList<>();
                    for (String s : textBatch) {
                        sqls.add(s);
                        rows.add(List.of());
                    }
                    for (List<Object> row : batch) {
                        sqls.add(preparedSql);
                        rows.add(row);
                    }
                    for (int i = 0; i < sqls.size(); i++) {
                        state.executed(sqls.get(i), rows.get(i), nanos / Math.max(1, sqls.size()));
                    }
                    batch.clear();
                    textBatch.clear();
                } else if (n >= 1 && args[0] instanceof String text) {
                    state.executed(text, List.of(), nanos);
                } else if (preparedSql != null) {
                    state.executed(preparedSql, nullSafe(params), nanos);
                }
            }
        }

        private void bind(int index, Object value) {
            while (params.size() < index) {
                params.add(null);
            }
            params.set(index - 1, value);
        }
    }

    private static List<Object> nullSafe(List<Object> params) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(params));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String describe(Object[] args) {
        return args == null ? "[]" : Arrays.toString(args);
    }
}
