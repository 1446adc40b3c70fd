package dev.holdfast.testkit.detect.internal;

import dev.holdfast.testkit.Actor;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.Run;
import dev.holdfast.testkit.detect.Confirmation;
import dev.holdfast.testkit.detect.Finding;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Runs two copies of a code path through the interleaving explorer. */
public final class Confirmer {
    private Confirmer() {
    }

    /** {@code select * from t order by 1} when the finding names one table, else null. */
    public static String defaultQuery(Finding f) {
        return f.tables().size() == 1 ? "select * from " + f.tables().iterator().next() + " order by 1" : null;
    }

    public static Confirmation confirm(Finding finding, Interleaver.Builder explorer, JdbcActor jdbc, Actor actor,
                                       String finalStateQuery, Duration budget) {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(explorer, "explorer");
        Objects.requireNonNull(budget, "budget");
        if (jdbc != null) {
            explorer.jdbcActor("A", jdbc).jdbcActor("B", jdbc);
        } else if (actor != null) {
            explorer.actor("A", actor).actor("B", actor);
        }
        if (finalStateQuery != null) {
            explorer.serializable(finalStateQuery);
        }
        long start = System.nanoTime();
        Exploration e = explorer.stopAtFirstFailure().timeBudget(budget).build().explore();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Optional<Run> failure = e.firstFailure();
        if (failure.isPresent()) {
            Run run = failure.get();
            return new Confirmation(Finding.Status.PROVED, run.schedule().toString(), e.schedules(), e.complete(),
                    elapsed, run.report());
        }
        return new Confirmation(Finding.Status.NOT_REPRODUCED, null, e.schedules(), e.complete(), elapsed,
                e.summary());
    }
}
