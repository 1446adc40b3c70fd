package dev.holdfast.record;

import static dev.holdfast.record.TestRecords.Counter;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.error.MappingException;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 7: {@code set} is typed by the record accessor, so {@code set(Product::stock, "abc")} (which left stock
 * 0 on SQLite) and {@code set(Product::name, plus(1))} (which wrote "1") do not compile; a column named by a string is
 * checked when the statement is built.
 */
class TypedUpdateTest {

    private static final String PRODUCT = """
            import dev.holdfast.record.*;
            import static dev.holdfast.record.Update.*;
            import static dev.holdfast.record.Condition.*;
            class Probe {
                @Table("product") record Product(@Id Long id, String name, int stock, long sold, byte[] image) {}
                Object probe() { return %s; }
            }
            """;

    @Test
    void wrongTypesDoNotCompile() {
        assertThat(compile("set(Product::stock, \"abc\")")).contains("no suitable method found for set");
        assertThat(compile("set(Product::name, plus(1))")).contains("no suitable method found for set");
        assertThat(compile("set(Product::name, minus(1))")).contains("no suitable method found for set");
        assertThat(compile("atLeast(Product::stock, \"ten\")")).contains("error:").contains("atLeast");
        // ...while the right ones do, including plus of an int literal on a long column and byte[] values.
        assertThat(compile("java.util.List.of(set(Product::stock, 5), set(Product::sold, plus(1)), "
                + "set(Product::name, \"x\"), set(Product::name, coalesce(\"y\")), setNull(Product::name), "
                + "set(Product::image, new byte[0]), atLeast(Product::stock, 3).and(isNull(Product::name)))"))
                .isEmpty();
    }

    @EachDatabase
    void columnsNamedByStringsAreCheckedWhenTheStatementIsBuilt(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Counter c = db.insert(new Counter(null, 7, "n"));
            assertThatThrownBy(() -> db.update(Counter.class, c.id(), set("count", "abc")))
                    .isInstanceOf(MappingException.class).hasMessageContaining("Counter.count is a long")
                    .hasMessageContaining("String");
            assertThatThrownBy(() -> db.update(Counter.class, c.id(), set("note", plus(1))))
                    .isInstanceOf(MappingException.class).hasMessageContaining("plus(1) is for numeric columns");
            assertThatThrownBy(() -> db.update(Counter.class, c.id(), set("count", plus(1.5))))
                    .isInstanceOf(MappingException.class).hasMessageContaining("whole number");
            assertThatThrownBy(() -> db.update(Counter.class, c.id(), set("count", null)))
                    .isInstanceOf(MappingException.class).hasMessageContaining("cannot be set to NULL");
            assertThat(db.get(Counter.class, c.id())).as("nothing written").isEqualTo(c);
            assertThat(db.update(Counter.class, c.id(), set("count", 8), set(Counter::note, "m")))
                    .isEqualTo(new Counter(c.id(), 8, "m"));
        }
    }

    @Test
    void aLambdaIsRefusedWithTheFix() {
        Property<Counter, String> lambda = x -> x.note();
        assertThatThrownBy(() -> set(lambda, "x")).isInstanceOf(MappingException.class)
                .hasMessageContaining("method reference").hasMessageContaining("not a lambda");
    }

    /** Compiles a probe against holdfast-core's classes; the compiler's errors, empty when it compiled. */
    private static String compile(String expression) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String source = PRODUCT.formatted(expression);
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Probe.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classes;
        try {
            classes = new File(Update.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        StringWriter errors = new StringWriter();
        File out = new File(System.getProperty("java.io.tmpdir"), "typed-update-probe-" + ProcessHandle.current().pid());
        out.mkdirs();
        boolean ok = javac.getTask(errors, null, null, List.of("-classpath", classes, "-d", out.getPath(),
                "-proc:none", "-Xlint:none"), null, List.of(file)).call();
        return ok ? "" : errors.toString();
    }
}
