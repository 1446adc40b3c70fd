package dev.holdfast.testkit.detect;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import dev.holdfast.testkit.detect.internal.PostgresLogText;
import dev.holdfast.testkit.detect.internal.PostgresLogText.Placeholders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PostgreSQL server log written with {@code log_statement = 'all'} into the transactions the race detector
 * analyses, so a staging system's log can be checked without changing its code:
 * <pre>{@code
 * List<RecordedTransaction> recorded = PostgresLogReader.read(Path.of("/var/log/postgresql/postgresql-15-main.log"));
 * Report report = RaceDetector.analyse(recorded, Catalogue.of(dataSource));   // or Catalogue.unknown(DatabaseKind.POSTGRES)
 * System.out.println(report.toText());
 * }</pre>
 *
 * <p>What the log must have:
 * <ul>
 *   <li>{@code log_statement = 'all'} (every statement, with its bound parameters on the {@code DETAIL:  parameters:}
 *       line that follows an {@code execute} line), in the plain text format (not {@code csvlog}/{@code jsonlog}) and
 *       with English messages ({@code lc_messages = 'C'} or {@code en_*}): the reader looks for {@code LOG:  statement:}
 *       and {@code LOG:  execute ...:};</li>
 *   <li>the backend's process id in {@code log_line_prefix}, as {@code [%p]} (the default {@code '%m [%p] '}, Debian's
 *       {@code '%m [%p] %q%u@%d '}, {@code [%p-%l]}) or as the session id {@code %c}. Anything else in the prefix
 *       ({@code %x}, {@code %u@%d}, {@code %a}, timestamps) is ignored. Without a pid the lines of concurrent
 *       sessions cannot be told apart, and the reader says so with a {@link LogFormatException}.</li>
 * </ul>
 *
 * <p>Lines are grouped per backend into transactions: {@code BEGIN}/{@code START TRANSACTION} to {@code COMMIT}/{@code
 * END}/{@code ROLLBACK}/{@code ABORT}; a statement outside such a block is a transaction of its own (autocommit), rolled
 * back if the server logged an {@code ERROR} for it. The isolation level comes from {@code BEGIN ISOLATION LEVEL ...},
 * {@code SET TRANSACTION ISOLATION LEVEL ...}, the session's {@code SET SESSION CHARACTERISTICS AS TRANSACTION
 * ISOLATION LEVEL ...} (what pgjdbc's {@code setTransactionIsolation} sends), or else the server default, {@code READ
 * COMMITTED} unless {@link #defaultIsolation(String)} says otherwise. Statements written over several lines
 * (continuation lines start with a tab) are joined. Numbered placeholders ({@code $1}) become {@code ?} with the
 * parameters in the order they appear in the statement; parameter values are the strings the log shows ({@code NULL}
 * is {@code null}). A transaction still open at the end of the log ends {@link Ending#OPEN}. Elapsed times come from
 * {@code duration:} lines when the server logged them ({@code log_duration}), else they are zero.
 */
public final class PostgresLogReader {
    private static final Pattern SEVERITY = Pattern.compile(
            "(LOG|DETAIL|ERROR|STATEMENT|HINT|CONTEXT|WARNING|NOTICE|FATAL|PANIC|INFO|DEBUG[1-5]?|QUERY|LOCATION):  ");
    private static final Pattern BRACKET_PID = Pattern.compile("\\[(\\d+)(?:-\\d+)?\\]");
    private static final Pattern SESSION_ID = Pattern.compile("\\b([0-9a-f]{6,})\\.([0-9a-f]{1,8})\\b");
    private static final Pattern EXECUTE = Pattern.compile("execute [^:]*:\\s?(.*)", Pattern.DOTALL);
    private static final Pattern DURATION = Pattern.compile("duration: ([0-9.]+) ms(?:\\s+(statement: |execute [^:]*: )(.*))?",
            Pattern.DOTALL);
    private static final Pattern ISOLATION = Pattern.compile(
            "ISOLATION\\s+LEVEL\\s+(READ\\s+UNCOMMITTED|READ\\s+COMMITTED|REPEATABLE\\s+READ|SERIALIZABLE)", Pattern.CASE_INSENSITIVE);

    private String defaultIsolation = "READ COMMITTED";

    private PostgresLogReader() {}

    /** A reader with the server default isolation {@code READ COMMITTED}. */
    public static PostgresLogReader create() {
        return new PostgresLogReader();
    }

    /** Reads {@code log} with the defaults of {@link #create()}. */
    public static List<RecordedTransaction> read(Path log) {
        return create().readFile(log);
    }

    /**
     * The isolation level of a transaction that never set one, when the server's {@code default_transaction_isolation}
     * is not {@code read committed}; e.g. {@code "REPEATABLE READ"}.
     */
    public PostgresLogReader defaultIsolation(String isolation) {
        Matcher m = ISOLATION.matcher("ISOLATION LEVEL " + isolation.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("defaultIsolation(\"" + isolation + "\"): use READ UNCOMMITTED, READ COMMITTED, "
                    + "REPEATABLE READ or SERIALIZABLE, as PostgreSQL's default_transaction_isolation says");
        }
        this.defaultIsolation = normalise(m.group(1));
        return this;
    }

    /** The transactions in the log file, in the order they started. */
    public List<RecordedTransaction> readFile(Path log) {
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            return read(in, log.toString());
        } catch (NoSuchFileException e) {
            throw new LogFormatException("no PostgreSQL log at " + log + ": pass the file the server writes with "
                    + "log_statement = 'all' (see log_directory and log_filename, or pg_ctl -l)");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the PostgreSQL log " + log, e);
        }
    }

    /** The transactions in {@code logText}, in the order they started. */
    public List<RecordedTransaction> readString(String logText) {
        try {
            return read(new BufferedReader(new StringReader(logText)), "the log text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transactions read from {@code log} (named {@code source} in error messages), in the order they started. */
    public List<RecordedTransaction> read(Reader log, String source) throws IOException {
        BufferedReader in = log instanceof BufferedReader b ? b : new BufferedReader(log);
        Parse parse = new Parse(source);
        String line;
        Entry entry = null;
        int lineNumber = 0;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.startsWith("\t") && entry != null) {
                entry.message.append('\n').append(line, 1, line.length());
                continue;
            }
            Matcher m = SEVERITY.matcher(line);
            if (!m.find()) {
                continue; // not a server message: pg_ctl's own output, a rotated file's header, a blank line
            }
            if (entry != null) {
                parse.accept(entry);
            }
            entry = new Entry(lineNumber, session(line.substring(0, m.start()), lineNumber, source), m.group(1),
                    new StringBuilder(line.substring(m.end())));
        }
        if (entry != null) {
            parse.accept(entry);
        }
        return parse.finish();
    }

    private static String session(String prefix, int lineNumber, String source) {
        Matcher pid = BRACKET_PID.matcher(prefix);
        if (pid.find()) {
            return "pid " + pid.group(1);
        }
        Matcher sid = SESSION_ID.matcher(prefix);
        if (sid.find()) {
            return "pid " + Long.parseLong(sid.group(2), 16);
        }
        throw new LogFormatException("line " + lineNumber + " of " + source + " has no backend process id in its prefix \""
                + prefix.strip() + "\": set log_line_prefix = '%m [%p] ' (or include [%p] or %c) so that concurrent sessions "
                + "can be told apart");
    }

    private static String normalise(String isolation) {
        return isolation.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private record Entry(int line, String session, String severity, StringBuilder message) {}

    /** A statement being read: its parameters arrive on the next DETAIL line, its duration maybe later. */
    private static final class Statement {
        final String sql;
        List<Object> parameters = List.of();
        Duration elapsed = Duration.ZERO;

        Statement(String sql) {
            this.sql = sql;
        }

        RecordedStatement recorded() {
            return new RecordedStatement(sql, parameters, elapsed);
        }
    }

    private static final class Tx {
        final int order;
        final String session;
        final boolean explicit;
        String isolation;
        final List<Statement> statements = new ArrayList<>();
        boolean failed;

        Tx(int order, String session, boolean explicit, String isolation) {
            this.order = order;
            this.session = session;
            this.explicit = explicit;
            this.isolation = isolation;
        }
    }

    private static final class Backend {
        String sessionIsolation;
        Tx open;            // inside BEGIN ... COMMIT
        Tx autocommit;      // the last one-statement transaction, until the next message shows whether it failed
        Statement last;     // the statement a DETAIL or duration line belongs to
        List<Integer> placeholderOrder = List.of();
    }

    private final class Parse {
        private final String source;
        private final Map<String, Backend> backends = new HashMap<>();
        private final Map<Tx, Ending> finished = new LinkedHashMap<>();
        private final List<Tx> started = new ArrayList<>();

        Parse(String source) {
            this.source = source;
        }

        void accept(Entry e) {
            Backend b = backends.computeIfAbsent(e.session(), s -> new Backend());
            String msg = e.message().toString();
            switch (e.severity()) {
                case "DETAIL" -> {
                    if (msg.startsWith("parameters: ") && b.last != null) {
                        b.last.parameters = parameters(msg.substring("parameters: ".length()), b.placeholderOrder, e);
                    }
                }
                case "ERROR", "FATAL", "PANIC" -> {
                    if (b.open != null) {
                        b.open.failed = true;
                    } else if (b.autocommit != null) {
                        b.autocommit.failed = true;
                    }
                    if (!e.severity().equals("ERROR")) {
                        endSession(b); // the backend is gone: PostgreSQL rolls back what it had open
                    }
                }
                case "LOG" -> log(b, e, msg);
                default -> { } // STATEMENT/HINT/CONTEXT repeat or explain what an ERROR said
            }
        }

        private void log(Backend b, Entry e, String msg) {
            if (msg.startsWith("statement: ")) {
                statements(b, e, msg.substring("statement: ".length()), false);
            } else if (msg.startsWith("execute fetch from ")) {
                b.last = null; // more rows of a portal its first execute logged (pgjdbc's fetch size): not a statement
                return;
            } else if (msg.startsWith("execute ")) {
                Matcher m = EXECUTE.matcher(msg);
                if (m.matches()) {
                    statements(b, e, m.group(1), true);
                }
            } else if (msg.startsWith("duration: ")) {
                Matcher m = DURATION.matcher(msg);
                if (!m.matches()) {
                    return;
                }
                Duration elapsed = Duration.ofNanos((long) (Double.parseDouble(m.group(1)) * 1_000_000));
                if (m.group(3) != null) {
                    // log_min_duration_statement without log_statement: the statement comes with its duration
                    statements(b, e, m.group(3), m.group(2).startsWith("execute"));
                }
                if (b.last != null) {
                    b.last.elapsed = elapsed;
                }
            } else if (msg.startsWith("disconnection: ") || msg.startsWith("connection received: ")) {
                endSession(b);
                b.sessionIsolation = null;
            }
        }

        private void statements(Backend b, Entry e, String text, boolean extended) {
            // the simple protocol may carry several statements in one message ("BEGIN; UPDATE ...; COMMIT")
            List<String> parts = extended ? List.of(text.strip()) : PostgresLogText.split(text);
            for (String sql : parts) {
                statement(b, e, sql);
            }
        }

        private void statement(Backend b, Entry e, String raw) {
            closeAutocommit(b);
            String sql = stripSemicolon(raw.strip());
            if (sql.isEmpty()) {
                return;
            }
            String upper = PostgresLogText.withoutLeadingComments(sql).toUpperCase(Locale.ROOT);
            Matcher iso = ISOLATION.matcher(upper);
            String level = iso.find() ? normalise(iso.group(1)) : null;
            if (upper.startsWith("BEGIN") || upper.startsWith("START TRANSACTION")) {
                if (b.open == null) {
                    b.open = start(e.session(), true, level != null ? level : isolation(b));
                }
                b.last = null;
                return;
            }
            if (upper.matches("(COMMIT|END)(\\s+(WORK|TRANSACTION).*)?")) {
                end(b, Ending.COMMIT);
                return;
            }
            if (upper.matches("(ROLLBACK|ABORT)(\\s+(WORK|TRANSACTION))?\\s*(AND\\s+(NO\\s+)?CHAIN)?")) {
                end(b, Ending.ROLLBACK);
                return;
            }
            if (upper.startsWith("SET SESSION CHARACTERISTICS") && level != null) {
                b.sessionIsolation = level;
                b.last = null;
                return;
            }
            if (upper.startsWith("SET TRANSACTION") && level != null) {
                if (b.open != null) {
                    b.open.isolation = level;
                }
                b.last = null;
                return;
            }
            if (upper.matches("(SET\\s+)?(SESSION\\s+)?DEFAULT_TRANSACTION_ISOLATION\\s*(=|TO).*")
                    || upper.matches("SET\\s+(SESSION\\s+)?DEFAULT_TRANSACTION_ISOLATION.*")) {
                Matcher value = Pattern.compile("(READ UNCOMMITTED|READ COMMITTED|REPEATABLE READ|SERIALIZABLE)")
                        .matcher(upper.replaceAll("\\s+", " "));
                if (value.find()) {
                    b.sessionIsolation = value.group(1);
                }
                b.last = null;
                return;
            }
            Placeholders p = PostgresLogText.placeholders(sql);
            Statement s = new Statement(p.sql());
            b.placeholderOrder = p.order();
            b.last = s;
            if (b.open != null) {
                b.open.statements.add(s);
            } else {
                Tx tx = start(e.session(), false, isolation(b));
                tx.statements.add(s);
                b.autocommit = tx;
            }
        }

        private String isolation(Backend b) {
            return b.sessionIsolation != null ? b.sessionIsolation : defaultIsolation;
        }

        private Tx start(String session, boolean explicit, String isolation) {
            Tx tx = new Tx(started.size(), session, explicit, isolation);
            started.add(tx);
            return tx;
        }

        private void end(Backend b, Ending ending) {
            closeAutocommit(b);
            if (b.open != null) {
                finished.put(b.open, b.open.failed ? Ending.ROLLBACK : ending);
                b.open = null;
            }
            b.last = null;
        }

        private void closeAutocommit(Backend b) {
            if (b.autocommit != null) {
                finished.put(b.autocommit, b.autocommit.failed ? Ending.ROLLBACK : Ending.COMMIT);
                b.autocommit = null;
            }
        }

        private void endSession(Backend b) {
            closeAutocommit(b);
            if (b.open != null) {
                finished.put(b.open, Ending.ROLLBACK);
                b.open = null;
            }
            b.last = null;
        }

        private List<Object> parameters(String text, List<Integer> order, Entry e) {
            Map<Integer, Object> byNumber = PostgresLogText.parameters(text, () -> new LogFormatException("line " + e.line() + " of " + source
                    + ": cannot read the parameters \"" + text + "\"; expected $1 = '...', $2 = NULL as PostgreSQL writes them"));
            List<Object> values = new ArrayList<>(order.size());
            for (int n : order) {
                values.add(byNumber.get(n));
            }
            return values;
        }

        List<RecordedTransaction> finish() {
            List<RecordedTransaction> result = new ArrayList<>(started.size());
            for (Tx tx : started) {
                Ending ending = finished.get(tx);
                if (ending == null) {
                    // a one-statement transaction at the very end of the log did commit (or the log shows its error)
                    ending = tx.explicit ? Ending.OPEN : tx.failed ? Ending.ROLLBACK : Ending.COMMIT;
                }
                if (tx.statements.isEmpty()) {
                    continue; // BEGIN; COMMIT with nothing in between tells the detector nothing
                }
                result.add(new RecordedTransaction(tx.session, DatabaseKind.POSTGRES, tx.isolation,
                        tx.statements.stream().map(Statement::recorded).toList(), ending));
            }
            return List.copyOf(result);
        }
    }

    private static String stripSemicolon(String sql) {
        String s = sql;
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    /** Thrown when a log cannot be read as PostgreSQL writes it; the message says which setting to change. */
    public static final class LogFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** A log problem described by {@code message}, which names the line and the fix. */
        public LogFormatException(String message) {
            super(message);
        }
    }
}
