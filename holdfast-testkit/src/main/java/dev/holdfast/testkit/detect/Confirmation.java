package dev.holdfast.testkit.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * What the interleaving explorer made of a {@link Finding}: two copies of the code path, run under controlled
 * schedules, either broke the final state or the invariant ({@link Finding.Status#PROVED}, with the schedule) or did
 * not within the budget ({@link Finding.Status#NOT_REPRODUCED}).
 *
 * <pre>{@code
 * Confirmation c = detector.confirm(finding, testDatabase, setup, codePath);
 * if (c.proved()) System.out.println(c.schedule() + "\n" + c.detail());
 * }</pre>
 *
 * @param status   {@link Finding.Status#PROVED} or {@link Finding.Status#NOT_REPRODUCED}
 * @param schedule the failing schedule ({@code A B A B ...}), or {@code null}
 * @param runs     schedules run
 * @param complete whether every schedule within the explorer's bounds was run
 * @param elapsed  time the exploration took
 * @param detail   the failing run's report, or a summary of the exploration
 */
public record Confirmation(Finding.Status status, String schedule, int runs, boolean complete, Duration elapsed,
                           String detail) {

    public Confirmation {
        Objects.requireNonNull(status, "status");
        if (status == Finding.Status.SUSPECTED) {
            throw new IllegalArgumentException("A confirmation is PROVED or NOT_REPRODUCED, not SUSPECTED");
        }
    }

    /** True when a failing schedule was found. */
    public boolean proved() {
        return status == Finding.Status.PROVED;
    }
}
