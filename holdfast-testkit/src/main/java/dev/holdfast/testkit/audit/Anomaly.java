package dev.holdfast.testkit.audit;

/**
 * One test of the Hermitage suite: the anomaly it probes for.
 *
 * @param name        Hermitage's name, e.g. {@code G2-item}
 * @param code        a short column heading for a matrix, e.g. {@code G2i}
 * @param title       a readable name, e.g. {@code Write skew}
 * @param description what the test does and what counts as the anomaly, in one or two sentences
 */
public record Anomaly(String name, String code, String title, String description) {
}
