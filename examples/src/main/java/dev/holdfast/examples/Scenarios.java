package dev.holdfast.examples;

import java.util.List;

/**
 * The catalogue of seed scenarios: for each seed bug, the naive port and the Holdfast version, as new instances.
 *
 * <pre>{@code
 * for (Scenario s : Scenarios.all()) {
 *     System.out.println(s.name() + ": " + s.description());
 * }
 * }</pre>
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** Every scenario, naive and safe of each seed bug, freshly made (they remember what their actors acknowledged). */
    public static List<Scenario> all() {
        return List.of(
                new TwoCopiesOfOneRow.Naive(), new TwoCopiesOfOneRow.Safe(),
                new FullRowSave.Naive(), new FullRowSave.Safe(),
                new LostCounter.Naive(), new LostCounter.Safe(),
                new DoubleTransition.Naive(), new DoubleTransition.Safe(),
                new PaymentTotal.Naive(), new PaymentTotal.Safe(),
                new SnapshotAfterAppLock.Naive(), new SnapshotAfterAppLock.Safe(),
                new ThreadUpdatesStatus.Naive(), new ThreadUpdatesStatus.Safe(),
                new DurableTask.Naive(), new DurableTask.Safe(),
                new LongRunningTask.Naive(), new LongRunningTask.Safe(),
                new ConfigurationSession.Naive(), new ConfigurationSession.Safe(),
                new SqliteWriters.Naive(), new SqliteWriters.Safe());
    }

    /** The scenario with this name, freshly made. */
    public static Scenario named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No scenario named " + name + "; the catalogue has "
                        + all().stream().map(Scenario::name).toList()));
    }
}
