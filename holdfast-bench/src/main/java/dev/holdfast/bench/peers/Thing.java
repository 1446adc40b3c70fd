package dev.holdfast.bench.peers;

import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;

/** The row every peer reads and writes, as a Holdfast record (and the result type of the JDBC and Jdbi code). */
@Table("thing")
public record Thing(@Id Long id, int foo, int bar, String name, @Version long version) {
    public Thing withFoo(int v) {
        return new Thing(id, v, bar, name, version);
    }
}
