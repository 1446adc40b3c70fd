package dev.holdfast.bench.peers;

import dev.holdfast.Id;
import dev.holdfast.Table;
import dev.holdfast.Version;

/** The contended counter, as a Holdfast record. */
@Table("counter")
public record Counter(@Id Long id, long n, @Version long version) {
    public Counter withN(long v) {
        return new Counter(id, v, version);
    }
}
