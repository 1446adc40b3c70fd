package dev.holdfast.bench.peers;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The same row for Hibernate: a mutable entity, generated id, {@code @Version} (as Hibernate's guide advises). */
@Entity
@Table(name = "thing")
public class ThingEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private int foo;
    private int bar;
    private String name;
    @Version
    private long version;

    protected ThingEntity() {
    }

    public ThingEntity(int foo, int bar, String name) {
        this.foo = foo;
        this.bar = bar;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public int getFoo() {
        return foo;
    }

    public void setFoo(int foo) {
        this.foo = foo;
    }

    public int getBar() {
        return bar;
    }

    public String getName() {
        return name;
    }

    public long getVersion() {
        return version;
    }
}
