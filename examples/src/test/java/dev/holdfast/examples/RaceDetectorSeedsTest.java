package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.Strategy;
import dev.holdfast.testkit.detect.Confirmation;
import dev.holdfast.testkit.detect.Finding;
import dev.holdfast.testkit.detect.RaceDetector;
import dev.holdfast.testkit.detect.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The race detector on the seed catalogue: every scenario runs once, serially (each actor once, one after the other,
 * no concurrency), on a Holdfast database built over a recording data source. Every naive scenario is flagged on
 * every database where its bug exists ({@link ScenarioInterleaver#safeByAccident} says where it does not, and there
 * it must not be flagged), and its first finding is proved by the interleaving explorer; every safe scenario is not
 * flagged at all. Each scenario prints one {@code DETECTED} line.
 */
class RaceDetectorSeedsTest {

    @EachDatabase
    void everyNaiveSeedIsFlaggedAndProvedAndNoSafeOneIsFlagged(TestDatabase tdb) {
        List<String> wrong = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            Report report = record(s, tdb);
            Optional<String> accident = ScenarioInterleaver.safeByAccident(s.name(), tdb.url());
            boolean bugHere = !s.safe() && accident.isEmpty();
            String line = "DETECTED " + tdb.kind() + " " + s.name() + ": " + report.findings().stream()
                    .map(f -> f.kind().toString()).toList();
            if (bugHere) {
                if (report.isEmpty()) {
                    wrong.add(s.name() + " was not flagged on " + tdb.kind());
                } else {
                    Finding first = report.findings().get(0);
                    Confirmation c = confirm(first, s.name(), tdb);
                    line += " " + c.status() + " after " + c.runs() + " schedule(s), " + c.elapsed().toMillis()
                            + " ms" + (c.proved() ? ", schedule " + c.schedule() : "");
                    if (!c.proved()) {
                        wrong.add(s.name() + " was flagged on " + tdb.kind() + " but not proved: " + c.detail());
                    }
                }
            } else if (!report.isEmpty()) {
                wrong.add(s.name() + " was flagged on " + tdb.kind() + " where it is safe"
                        + accident.map(a -> " (" + a + ")").orElse("") + ":\n" + report.toText());
            }
            System.out.println(line);
        }
        assertThat(wrong).isEmpty();
    }

    /** Runs each actor of a fresh scenario once, one after the other, through a recording data source. */
    static Report record(Scenario s, TestDatabase tdb) {
        try (TestDatabase fresh = TestDatabases.fresh(tdb.kind())) {
            RaceDetector detector = RaceDetector.create();
            DataSource raw = fresh.dataSource();
            try (Database db = Database.builder(detector.wrap(raw)).build()) {
                s.setUp(db);
                detector.clear();
                for (Actor a : s.actors()) {
                    try {
                        a.body().accept(db);
                    } catch (RuntimeException refused) {
                        // a safe version may refuse the second caller (bug 4: already done); recorded all the same
                    }
                }
            }
            return detector.analyse(raw);
        }
    }

    /** Two actors of the scenario under the explorer, judged by the scenario's own check, until the first failure. */
    static Confirmation confirm(Finding finding, String scenario, TestDatabase tdb) {
        RaceDetector detector = RaceDetector.create();
        Interleaver.Builder explorer = ScenarioInterleaver.on(Interleaver.on(tdb), () -> Scenarios.named(scenario))
                .strategy(Strategy.exhaustive())
                .maxSchedules(ScenarioInterleaver.MAX_SCHEDULES)
                .maxSteps(ScenarioInterleaver.MAX_STEPS);
        return detector.confirm(finding, explorer, Duration.ofMinutes(2));
    }
}
