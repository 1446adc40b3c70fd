package dev.holdfast.bench.peers;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The counter for Hibernate's safe optimistic variant: {@code @Version}, so a concurrent change fails the flush. */
@Entity
@Table(name = "counter")
public class CounterEntity {
    @Id
    private Long id;
    private long n;
    @Version
    private long version;

    protected CounterEntity() {
    }

    public long getN() {
        return n;
    }

    public void setN(long n) {
        this.n = n;
    }
}
