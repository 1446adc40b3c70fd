package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;

/** Every safe scenario, 8 threads × 50 calls, on each database: the seed's invariant holds. */
class SafeScenariosTest {
    static final int THREADS = 8;
    static final int ITERATIONS = 50;

    @EachDatabase
    void safeScenariosLoseNothingUnderLoad(TestDatabase t) {
        List<String> failures = new ArrayList<>();
        int ran = 0;
        try (Database db = Open.database(t)) {
            for (Scenario s : Scenarios.all()) {
                if (!s.safe()) {
                    continue;
                }
                s.setUp(db);
                try {
                    ScenarioRunner.run(db, s, THREADS, ITERATIONS);
                } catch (AssertionError | RuntimeException e) {
                    failures.add(s.name() + ": " + e);
                }
                ran++;
            }
        }
        assertThat(ran).isEqualTo(11);
        assertThat(failures).isEmpty();
    }
}
