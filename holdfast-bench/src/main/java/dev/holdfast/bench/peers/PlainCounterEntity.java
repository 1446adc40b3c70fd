package dev.holdfast.bench.peers;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The counter as most entities are written: no {@code @Version}. Used for Hibernate's naive read-modify-write and for
 * its {@code PESSIMISTIC_WRITE} variant (which needs no version).
 */
@Entity
@Table(name = "counter")
public class PlainCounterEntity {
    @Id
    private Long id;
    private long n;

    protected PlainCounterEntity() {
    }

    public long getN() {
        return n;
    }

    public void setN(long n) {
        this.n = n;
    }
}
