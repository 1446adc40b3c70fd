package dev.holdfast.testkit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link Step} being recorded during a run; rows a query returns are added as the actor reads them. */
final class StepRecord {
    private static final int MAX_ROWS_SHOWN = 6;
    private static final java.util.regex.Pattern CONNECTION_NUMBER = java.util.regex.Pattern.compile("^\\(conn=\\d+\\) ");

    final int index;
    final String actor;
    final String sql;
    final List<Object> parameters;
    Step.Wait waited = Step.Wait.NONE;
    int resumedAfter;
    boolean cancelled;          // still running when the run ended, and cancelled then
    String cancelNote = "still running when the run ended";   // why it was cancelled, for the trace
    private String result = "(not run)";
    private boolean failed;
    private boolean query;
    private int rows;
    private final List<List<String>> shown = new ArrayList<>();
    private List<String> columns = List.of();
    private final List<List<String>> full = new ArrayList<>();

    StepRecord(int index, String actor, String sql, List<Object> parameters) {
        this.index = index;
        this.actor = actor;
        this.sql = sql;
        this.parameters = parameters;
    }

    void succeeded(Object value) {
        if (value instanceof ResultSet) {
            query = true;
            result = null;
        } else if (value instanceof Integer || value instanceof Long) {
            long n = ((Number) value).longValue();
            result = n == 1 ? "1 row changed" : n + " rows changed";
        } else if (value instanceof int[] counts) {
            result = "batch " + Arrays.toString(counts);
        } else if (value instanceof long[] counts) {
            result = "batch " + Arrays.toString(counts);
        } else {
            result = "ok";
        }
    }

    void failed(SQLException e) {
        failed = true;
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        // MariaDB's driver names the connection ("(conn=2877) Deadlock found..."): a number that differs on every
        // run and would make two runs of one schedule look different.
        message = CONNECTION_NUMBER.matcher(message).replaceFirst("");
        result = cancelled ? "cancelled: " + cancelNote
                : "ERROR " + (e.getSQLState() == null ? "" : e.getSQLState() + " ") + message;
    }

    /** The actor's code asked for another row; {@code present} is what {@code next()} answered. */
    synchronized void row(boolean present) {
        query = true;
        if (present) {
            rows++;
            if (shown.size() < MAX_ROWS_SHOWN) {
                shown.add(new ArrayList<>());
            }
        }
    }

    /** The whole row the actor's code moved to, with the result's column labels. */
    synchronized void fullRow(List<String> labels, List<String> values) {
        columns = labels;
        full.add(values);
    }

    /** The actor's code read a value of the current row. */
    synchronized void value(Object v) {
        if (rows > 0 && rows <= MAX_ROWS_SHOWN) {
            shown.get(rows - 1).add(String.valueOf(v));
        }
    }

    synchronized Step build() {
        String text = result;
        if (query && !failed) {
            if (rows == 0) {
                text = "no row";
            } else {
                StringBuilder s = new StringBuilder();
                for (List<String> r : shown) {
                    if (s.length() > 0) {
                        s.append(", ");
                    }
                    s.append('(').append(String.join(", ", r)).append(')');
                }
                if (rows > shown.size()) {
                    s.append(", … ").append(rows).append(" rows");
                }
                text = s.toString();
            }
        }
        return new Step(index, actor, sql, parameters, text, failed, waited, resumedAfter, columns, full);
    }
}
