package dev.holdfast.bench.peers;

import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.SessionFactory;
import org.hibernate.StaleStateException;

/**
 * Hibernate ORM as its user guide shows it: a session per unit of work, {@code fromTransaction}/{@code inTransaction},
 * managed entities changed by setters and flushed by dirty checking. Reads use a session without a transaction (one
 * round trip, the cheapest correct way).
 */
final class HibernateLibrary implements Library {
    private final SessionFactory sf;

    HibernateLibrary(SessionFactory sf) {
        this.sf = sf;
    }

    @Override
    public ThingEntity get(long id) {
        return sf.fromSession(s -> s.find(ThingEntity.class, id));
    }

    @Override
    public long insert(int i) {
        return sf.fromTransaction(s -> {
            ThingEntity t = new ThingEntity(i, i, "new-" + i);
            s.persist(t);
            return t.getId();
        });
    }

    /** {@code persist} in a loop. With IDENTITY ids Hibernate cannot batch inserts: each one is its own statement. */
    @Override
    public int insertBatch(int first, int count) {
        return sf.fromTransaction(s -> {
            for (int i = first; i < first + count; i++) {
                s.persist(new ThingEntity(i, i, "new-" + i));
            }
            return count;
        });
    }

    /** Dirty checking: find, set, and the flush at commit writes the UPDATE (with the {@code @Version} check). */
    @Override
    public void change(long id, int foo) {
        sf.inTransaction(s -> s.find(ThingEntity.class, id).setFoo(foo));
    }

    /** {@code find(..., PESSIMISTIC_WRITE)}: SELECT ... FOR UPDATE, set, flush. */
    void changeLocked(long id, int foo) {
        sf.inTransaction(s -> s.find(ThingEntity.class, id, LockModeType.PESSIMISTIC_WRITE).setFoo(foo));
    }

    @Override
    public Increment increment(String variant) {
        return switch (variant) {
            case "naive" -> () -> {
                sf.inTransaction(s -> {
                    PlainCounterEntity c = s.find(PlainCounterEntity.class, 1L);
                    c.setN(c.getN() + 1);
                });
                return 0;
            };
            case "pessimistic" -> () -> {
                sf.inTransaction(s -> {
                    PlainCounterEntity c = s.find(PlainCounterEntity.class, 1L, LockModeType.PESSIMISTIC_WRITE);
                    c.setN(c.getN() + 1);
                });
                return 0;
            };
            case "version" -> () -> {
                // The retry loop @Version needs: a stale flush throws, and the whole unit of work runs again.
                for (int retries = 0; ; retries++) {
                    try {
                        sf.inTransaction(s -> {
                            CounterEntity c = s.find(CounterEntity.class, 1L);
                            c.setN(c.getN() + 1);
                        });
                        return retries;
                    } catch (OptimisticLockException | StaleStateException stale) {
                        // someone else's increment won; read again
                    }
                }
            };
            default -> throw new IllegalArgumentException("hibernate has no counter variant " + variant);
        };
    }
}
