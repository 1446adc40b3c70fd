package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;

/**
 * Seed 000's durable task through the interleaving explorer, exhaustively: every schedule of a worker running a task's
 * checkpoints against a pause request. The naive in-memory job loses the pause or its progress in some schedule; the
 * durable task never does.
 */
class DurableTaskScenarioTest {
    @EachDatabase
    void theExplorerFindsTheNaiveJobLosingThePause(TestDatabase t) {
        Exploration e = ScenarioInterleaver.explore(Interleaver.on(t), "seed-000-durable-task/naive");
        System.out.println("EXPLORED " + t.kind() + " seed-000-durable-task/naive " + e.summary());
        assertThat(e.complete()).isTrue();
        assertThat(e.firstFailure()).isPresent();
        assertThat(e.firstFailure().orElseThrow().failure()).startsWith("invariant 'seed-000-durable-task/naive'");
        System.out.println(e.firstFailure().orElseThrow().report());
    }

    @EachDatabase
    void everyScheduleOfPauseRacingCheckpointsKeepsTheDurableTaskRight(TestDatabase t) {
        Exploration e = ScenarioInterleaver.explore(Interleaver.on(t), "seed-000-durable-task/safe");
        System.out.println("EXPLORED " + t.kind() + " seed-000-durable-task/safe " + e.summary());
        assertThat(e.complete()).isTrue();
        e.assertNoFailures();
        assertThat(e.schedules()).isGreaterThan(10);
    }
}
