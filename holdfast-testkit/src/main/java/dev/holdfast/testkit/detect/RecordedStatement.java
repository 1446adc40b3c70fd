package dev.holdfast.testkit.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One execution of one statement inside a {@link RecordedTransaction}: its SQL with {@code ?} placeholders, the values
 * bound for this execution (each row of a JDBC batch is its own execution), and how long it took.
 *
 * <pre>{@code
 * RecordedStatement s = new RecordedStatement("update account set balance = ? where id = ?", List.of(90, 1),
 *         Duration.ofMillis(2));
 * }</pre>
 *
 * @param sql        the SQL text as sent
 * @param parameters the bound values in placeholder order (may contain {@code null}); empty when none
 * @param elapsed    time from sending the statement to its result ({@link Duration#ZERO} when unknown)
 */
public record RecordedStatement(String sql, List<Object> parameters, Duration elapsed) {

    public RecordedStatement {
        Objects.requireNonNull(sql, "sql");
        parameters = parameters == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(parameters));
        elapsed = elapsed == null ? Duration.ZERO : elapsed;
    }

    @Override
    public String toString() {
        return parameters.isEmpty() ? sql : sql + " " + parameters;
    }
}
