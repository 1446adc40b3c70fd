package dev.holdfast.testkit.detect;

import dev.holdfast.testdb.DatabaseKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The race detector's own trace file: recorded transactions as text, one line per transaction and per statement, so
 * a recording can be analysed later or elsewhere ({@code holdfast detect --log trace.txt}).
 *
 * <pre>{@code
 * TraceFile.write(Path.of("target/races.trace"), detector.transactions());
 * Report r = RaceDetector.analyse(TraceFile.read(Path.of("target/races.trace")), Catalogue.unknown(DatabaseKind.POSTGRES));
 * }</pre>
 *
 * <p>Bound values keep their kind when they are numbers, booleans or strings (and {@code null}); any other value is
 * written as its {@code toString()} text.
 */
public final class TraceFile {
    /** The first line of every trace file. */
    public static final String HEADER = "# holdfast race detector trace v1";

    private TraceFile() {
    }

    /** Writes the transactions to {@code file}, replacing it. */
    public static void write(Path file, List<RecordedTransaction> transactions) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (RecordedTransaction t : transactions) {
            b.append("T\t").append(escape(t.session())).append('\t')
                    .append(t.database() == null ? "-" : t.database().name()).append('\t')
                    .append(t.isolation() == null ? "-" : t.isolation()).append('\t')
                    .append(t.ending().name()).append('\n');
            for (RecordedStatement s : t.statements()) {
                b.append("S\t").append(s.elapsed().toNanos()).append('\t').append(escape(s.sql()));
                for (Object p : s.parameters()) {
                    b.append('\t').append(value(p));
                }
                b.append('\n');
            }
        }
        try {
            Files.writeString(file, b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the race detector's trace to " + file + ": " + e, e);
        }
    }

    /**
     * Reads a trace file written by {@link #write}.
     *
     * @throws IllegalArgumentException when the file is not such a trace (names the line and what was expected)
     */
    public static List<RecordedTransaction> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the race detector's trace " + file + ": " + e, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + " is not a race detector trace: its first line must be '"
                    + HEADER + "' (write it with TraceFile.write; a PostgreSQL log goes to PostgresLogReader)");
        }
        List<RecordedTransaction> out = new ArrayList<>();
        String[] head = null;
        List<RecordedStatement> statements = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("T") && f.length == 5) {
                    if (head != null) {
                        out.add(transaction(head, statements));
                    }
                    head = f;
                    statements = new ArrayList<>();
                } else if (f[0].equals("S") && f.length >= 3 && head != null) {
                    List<Object> params = new ArrayList<>();
                    for (int k = 3; k < f.length; k++) {
                        params.add(parse(f[k]));
                    }
                    statements.add(new RecordedStatement(unescape(f[2]), params, Duration.ofNanos(Long.parseLong(f[1]))));
                } else {
                    throw new IllegalArgumentException("expected 'T' (transaction) or 'S' (statement) fields");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a trace line (" + e.getMessage()
                        + "): " + line, e);
            }
        }
        if (head != null) {
            out.add(transaction(head, statements));
        }
        return out;
    }

    private static RecordedTransaction transaction(String[] f, List<RecordedStatement> statements) {
        return new RecordedTransaction(unescape(f[1]), f[2].equals("-") ? null : DatabaseKind.valueOf(f[2]),
                f[3].equals("-") ? null : f[3], statements, RecordedTransaction.Ending.valueOf(f[4]));
    }

    private static String value(Object p) {
        if (p == null) {
            return "n";
        }
        if (p instanceof Long || p instanceof Integer || p instanceof Short || p instanceof Byte) {
            return "i:" + p;
        }
        if (p instanceof BigDecimal d) {
            return "d:" + d.toPlainString();
        }
        if (p instanceof Double || p instanceof Float) {
            return "f:" + p;
        }
        if (p instanceof Boolean) {
            return "b:" + p;
        }
        return "s:" + escape(String.valueOf(p));
    }

    private static Object parse(String v) {
        if (v.equals("n")) {
            return null;
        }
        String body = v.substring(2);
        return switch (v.substring(0, 2)) {
            case "i:" -> Long.parseLong(body);
            case "d:" -> new BigDecimal(body);
            case "f:" -> Double.parseDouble(body);
            case "b:" -> Boolean.parseBoolean(body);
            case "s:" -> unescape(body);
            default -> throw new IllegalArgumentException("unknown value " + v);
        };
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
