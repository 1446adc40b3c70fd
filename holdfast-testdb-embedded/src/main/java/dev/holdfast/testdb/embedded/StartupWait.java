package dev.holdfast.testdb.embedded;

import java.time.Duration;

/**
 * How long an embedded server may take to start. A ceiling, not a sleep: both servers are polled and used as soon as
 * they are ready, and a server process that dies ends the wait at once. A loaded CI machine can take minutes to run
 * initdb or mariadb-install-db (a fixed 30 s failed there), so the default is generous; set the system property
 * {@code holdfast.embedded.startTimeout} (ISO-8601, e.g. {@code PT10M}) to change it.
 */
final class StartupWait {
    static final String PROPERTY = "holdfast.embedded.startTimeout";
    private static final Duration DEFAULT = Duration.ofMinutes(5);

    private StartupWait() {}

    static Duration ceiling() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return Duration.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(PROPERTY + "=" + value + " is not an ISO-8601 duration; write e.g. PT10M", e);
        }
    }
}
