package dev.holdfast.bench.peers;

import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;

/** The contended counter, as a Holdfast record. */
@Table("counter")
public record Counter(@Id Long id, long n, @Version long version) {
    public Counter withN(long v) {
        return new Counter(id, v, version);
    }
}
