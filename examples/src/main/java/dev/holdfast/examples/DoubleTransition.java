package dev.holdfast.examples;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Django bug 4: a check-then-act state transition. {@code state_transition} reads the row, returns if it is already
 * DONE, runs the transition's side effect, and saves DONE. Two calls that both read PENDING both run the side effect
 * (two e-mails, two charges), even inside a transaction: a plain read takes no lock. Holdfast's {@code modify} reads
 * the row with {@code SELECT ... FOR UPDATE}, so the second call waits and then sees DONE; and the side effect is
 * registered with {@code afterCommit}, so it runs once, only after the transition is durable, never for an attempt
 * that rolled back or was retried.
 */
public final class DoubleTransition {
    private DoubleTransition() {
    }

    /** The states of the row. */
    public enum State { PENDING, DONE }

    /** A row with a one-way state. */
    @Table("b4_stateful")
    public record Stateful(@Id long id, State state) {
    }

    /** The transition was already made. */
    static final class AlreadyDone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyDone() {
            super("already done", null, false, false);
        }
    }

    abstract static class Base extends SeedScenario {
        final AtomicInteger callsA = new AtomicInteger();
        final AtomicInteger callsB = new AtomicInteger();
        final Map<Long, AtomicInteger> sideEffects = new ConcurrentHashMap<>();

        Base(boolean safe) {
            super("django-bug-4-state-transition", safe, "two callers move a row from PENDING to DONE; the "
                    + "transition's side effect must run exactly once");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table b4_stateful (id bigint primary key, state varchar(20) not null)");
            List<Stateful> rows = new ArrayList<>();
            for (long id = 1; id <= rows(); id++) {
                rows.add(new Stateful(id, State.PENDING));
            }
            db.useTransaction(tx -> tx.insertAll(rows));
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("transition-a", db -> call(db, nextRow(callsA))),
                    new Actor("transition-b", db -> call(db, nextRow(callsB))));
        }

        private void call(Database db, long id) {
            try {
                transition(db, id);
            } catch (AlreadyDone expected) {
                // the other caller got there first: fine
            }
        }

        abstract void transition(Database db, long id);

        /** The side effect: an e-mail, a charge, a message. */
        void doStateTransition(long id) {
            sideEffects.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void check(Database db) {
            for (Stateful s : db.query(Stateful.class, "select * from b4_stateful")) {
                int ran = sideEffects.getOrDefault(s.id(), new AtomicInteger()).get();
                int expected = s.state() == State.DONE ? 1 : 0;
                if (ran != expected) {
                    throw new AssertionError(name() + ": row " + s.id() + " is " + s.state()
                            + " but its transition's side effect ran " + ran + " times");
                }
            }
        }
    }

    /** The Django code, ported: a plain read inside a transaction, the side effect inside too. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        void transition(Database db, long id) {
            db.useTransaction(tx -> {
                Stateful s = tx.get(Stateful.class, id);
                if (s.state() == State.DONE) {
                    throw new AlreadyDone();
                }
                pause();
                doStateTransition(id);
                tx.execute("update b4_stateful set state = ? where id = ?", State.DONE, id);
            });
        }
    }

    /** Locked read-modify-write; the side effect after commit. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        void transition(Database db, long id) {
            db.useTransaction(tx -> {
                tx.modify(Stateful.class, id, s -> {
                    if (s.state() == State.DONE) {
                        throw new AlreadyDone();
                    }
                    return new Stateful(id, State.DONE);
                });
                tx.afterCommit(() -> doStateTransition(id));
            });
        }
    }
}
