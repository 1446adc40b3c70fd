package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.math.BigDecimal;

/** The records the draft tests edit: a product catalogue. */
final class Catalogue {
    private Catalogue() {
    }

    @Table("product")
    record Product(@Id Long id, String name, BigDecimal price, int stock, @Version long version) {
        Product withName(String v) {
            return new Product(id, v, price, stock, version);
        }

        Product withPrice(String v) {
            return new Product(id, name, new BigDecimal(v), stock, version);
        }

        Product withStock(int v) {
            return new Product(id, name, price, v, version);
        }
    }

    static void create(Database db) {
        db.execute("create table product (id bigint primary key, name varchar(100) not null, price decimal(10,2) "
                + "not null, stock int not null, version bigint not null)");
    }

    static Product product(long id) {
        return new Product(id, "lamp " + id, new BigDecimal("10.00"), 5, 0);
    }
}
