package dev.holdfast.internal;

import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many {@code ?} placeholders a statement has, so that a wrong number of values is refused before anything is
 * sent. SQLite counted them when it compiled the statement, and sqlite-jdbc keeps the count in a field. The PostgreSQL
 * and MariaDB drivers answer {@code getParameterMetaData()} with a round trip, so there the SQL text is scanned once
 * (skipping literals, quoted names and comments the way each driver does) and the count kept per SQL string; the
 * driver is asked only when the scan disagrees with the caller, so a scan that misreads some exotic SQL can delay an
 * error message but never refuse a correct call.
 */
final class Placeholders {
    private static final int CACHED = 4096;
    private static final ConcurrentHashMap<String, Integer> POSTGRES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Integer> MARIADB = new ConcurrentHashMap<>();

    private Placeholders() {
    }

    /** The statement's placeholder count as far as it can be known for free; see {@link #confirm}. */
    static int count(PreparedStatement ps, String sql, Dialect dialect) throws SQLException {
        if (dialect instanceof SqliteDialect) {
            return ps.getParameterMetaData().getParameterCount();
        }
        boolean postgres = dialect instanceof PostgresDialect;
        ConcurrentHashMap<String, Integer> cache = postgres ? POSTGRES : MARIADB;
        Integer known = cache.get(sql);
        if (known != null) {
            return known;
        }
        int n = postgres ? scanPostgres(sql) : scanMariaDb(sql);
        if (cache.size() < CACHED) {
            cache.put(sql, n);   // a full cache stops growing: generated SQL with inlined values must not fill memory
        }
        return n;
    }

    /**
     * The driver's own count, when the free count disagreed with the caller: a round trip on PostgreSQL and MariaDB,
     * paid only on the way to an error. -1 when the driver cannot say (then the driver reports what is wrong itself).
     */
    static int confirm(PreparedStatement ps, Dialect dialect) {
        if (dialect instanceof SqliteDialect) {
            return -1;   // the count came from the driver already
        }
        try {
            return ps.getParameterMetaData().getParameterCount();
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    /** pgjdbc's rules: '' and E'' literals, "names", $tag$ quoting, -- and nested /* comments, {@code ??} is a literal ?. */
    static int scanPostgres(String sql) {
        int n = 0;
        int len = sql.length();
        for (int i = 0; i < len; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'' -> i = endOfQuoted(sql, i, '\'', i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isJavaIdentifierPart(sql.charAt(i - 2))));
                case '"' -> i = endOfQuoted(sql, i, '"', false);
                case '-' -> i = i + 1 < len && sql.charAt(i + 1) == '-' ? endOfLine(sql, i) : i;
                case '/' -> i = i + 1 < len && sql.charAt(i + 1) == '*' ? endOfComment(sql, i, true) : i;
                case '$' -> i = i > 0 && Character.isJavaIdentifierPart(sql.charAt(i - 1)) ? i : endOfDollarQuoted(sql, i);
                case '?' -> {
                    if (i + 1 < len && sql.charAt(i + 1) == '?') {
                        i++;
                    } else {
                        n++;
                    }
                }
                default -> { }
            }
        }
        return n;
    }

    /** MariaDB Connector/J's rules: '' and "" literals with backslash escapes, `names`, #, -- and /* comments. */
    static int scanMariaDb(String sql) {
        int n = 0;
        int len = sql.length();
        for (int i = 0; i < len; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'', '"' -> i = endOfQuoted(sql, i, c, true);
                case '`' -> i = endOfQuoted(sql, i, '`', false);
                case '#' -> i = endOfLine(sql, i);
                case '-' -> i = i + 2 < len && sql.charAt(i + 1) == '-' && Character.isWhitespace(sql.charAt(i + 2))
                        ? endOfLine(sql, i) : i;
                case '/' -> i = i + 1 < len && sql.charAt(i + 1) == '*' ? endOfComment(sql, i, false) : i;
                case '?' -> n++;
                default -> { }
            }
        }
        return n;
    }

    private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        for (int i = open + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i++;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i++;   // a doubled quote stands for itself
                } else {
                    return i;
                }
            }
        }
        return sql.length();
    }

    private static int endOfLine(String sql, int from) {
        int end = sql.indexOf('\n', from);
        return end < 0 ? sql.length() : end;
    }

    private static int endOfComment(String sql, int open, boolean nested) {
        int depth = 1;
        for (int i = open + 2; i < sql.length() - 1; i++) {
            if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                if (--depth == 0) {
                    return i + 1;
                }
                i++;
            } else if (nested && sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i++;
            }
        }
        return sql.length();
    }

    private static int endOfDollarQuoted(String sql, int open) {
        int i = open + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i >= sql.length() || sql.charAt(i) != '$' || (i > open + 1 && Character.isDigit(sql.charAt(open + 1)))) {
            return open;   // not a dollar quote ($1 or a lone $)
        }
        String tag = sql.substring(open, i + 1);
        int end = sql.indexOf(tag, i + 1);
        return end < 0 ? sql.length() : end + tag.length() - 1;
    }
}
