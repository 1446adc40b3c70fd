package dev.holdfast.testkit;

import java.util.Map;

/**
 * One run of the actors under one schedule, and what the oracles said about it.
 *
 * <pre>{@code
 * Run run = interleaver.run(Schedule.parse("A B A B"));
 * if (run.failed()) System.out.println(run.report());
 * }</pre>
 *
 * @param schedule the schedule that was followed; {@code Schedule.parse(schedule.toString())} replays it
 * @param trace    every step, as data
 * @param outcome  the final state (the rows of the query given to {@link Interleaver.Builder#serializable(String)} or
 *                 {@link Interleaver.Builder#finalState(String)}) and how each actor ended; equal outcomes are the same
 *                 result
 * @param errors   the actors that ended with an exception, by name, with the exception's class and message
 * @param failure  why this run fails an oracle, or {@code null} when it passes
 */
public record Run(Schedule schedule, Trace trace, String outcome, Map<String, String> errors, String failure) {

    public Run {
        errors = Map.copyOf(errors);
    }

    /** True when an oracle (invariant, serializability, a step bound, a stuck step) failed. */
    public boolean failed() {
        return failure != null;
    }

    /** The schedule, the reason and the swimlane: what a failing test prints. */
    public String report() {
        return (failure == null ? "passed" : "FAILED: " + failure) + "\n"
                + "schedule: " + schedule + "    (replay: interleaver.run(Schedule.parse(\"" + schedule + "\")))\n"
                + "outcome:  " + outcome + "\n"
                + trace.swimlane();
    }
}
