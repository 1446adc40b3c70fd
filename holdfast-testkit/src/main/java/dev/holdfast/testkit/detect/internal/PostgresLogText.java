package dev.holdfast.testkit.detect.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lexical work of reading statements out of a PostgreSQL log: splitting a simple-protocol message into its
 * statements, turning {@code $n} into {@code ?}, and reading a {@code parameters:} line. Quotes, dollar quotes and
 * comments are respected; nothing else of SQL is understood here.
 */
public final class PostgresLogText {
    private PostgresLogText() {}

    /** The statement with {@code $n} replaced by {@code ?}, and the {@code n} of each {@code ?} in order. */
    public record Placeholders(String sql, List<Integer> order) {}

    /** Splits {@code text} at the semicolons that end statements (not those in quotes or comments). */
    public static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            int skipped = skipQuotedOrComment(text, i);
            if (skipped != i) {
                i = skipped;
                continue;
            }
            if (text.charAt(i) == ';') {
                addIfNotBlank(parts, text.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        addIfNotBlank(parts, text.substring(start));
        return parts;
    }

    /** {@code sql} without the comments and blanks in front of its first keyword. */
    public static String withoutLeadingComments(String sql) {
        int i = 0;
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                i = skipQuotedOrComment(sql, i);
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    /** Replaces {@code $1}, {@code $2}... outside quotes by {@code ?}, remembering which number each one was. */
    public static Placeholders placeholders(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<Integer> order = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            int skipped = skipQuotedOrComment(sql, i);
            if (skipped != i) {
                out.append(sql, i, skipped);
                i = skipped;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '$' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_')) {
                int j = i + 1;
                while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                order.add(Integer.parseInt(sql.substring(i + 1, j)));
                out.append('?');
                i = j;
                continue;
            }
            out.append(c);
            i++;
        }
        return new Placeholders(out.toString(), List.copyOf(order));
    }

    /**
     * Reads {@code $1 = '5', $2 = NULL, $3 = 'it''s'} into numbers and values ({@code NULL} is {@code null}, the quotes
     * are removed and doubled quotes undone).
     */
    public static Map<Integer, Object> parameters(String text, Supplier<? extends RuntimeException> malformed) {
        Map<Integer, Object> values = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (text.charAt(i) != '$') {
                throw malformed.get();
            }
            int j = i + 1;
            while (j < n && Character.isDigit(text.charAt(j))) {
                j++;
            }
            if (j == i + 1 || !text.startsWith(" = ", j)) {
                throw malformed.get();
            }
            int number = Integer.parseInt(text.substring(i + 1, j));
            i = j + 3;
            if (text.startsWith("NULL", i)) {
                values.put(number, null);
                i += 4;
            } else if (i < n && text.charAt(i) == '\'') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw malformed.get();
                    }
                    char c = text.charAt(i);
                    if (c == '\'') {
                        if (i + 1 < n && text.charAt(i + 1) == '\'') {
                            value.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(c);
                    i++;
                }
                values.put(number, value.toString());
            } else {
                throw malformed.get();
            }
        }
        return values;
    }

    /** The index after the quoted string, quoted identifier, dollar-quoted string or comment at {@code i}, or {@code i}. */
    private static int skipQuotedOrComment(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < s.length()) {
                if (s.charAt(j) == c) {
                    if (j + 1 < s.length() && s.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return s.length();
        }
        if (s.startsWith("--", i)) {
            int end = s.indexOf('\n', i);
            return end < 0 ? s.length() : end + 1;
        }
        if (s.startsWith("/*", i)) {
            int end = s.indexOf("*/", i + 2);
            return end < 0 ? s.length() : end + 2;
        }
        if (c == '$') {
            int j = i + 1;
            while (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) {
                j++;
            }
            if (j < s.length() && s.charAt(j) == '$' && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
                String tag = s.substring(i, j + 1);
                int end = s.indexOf(tag, j + 1);
                return end < 0 ? s.length() : end + tag.length();
            }
        }
        return i;
    }

    private static void addIfNotBlank(List<String> parts, String part) {
        if (!part.isBlank()) {
            parts.add(part.strip());
        }
    }
}
