package dev.holdfast.testdb;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs an {@link EachDatabase} method once per kind, each run with a fresh {@link TestDatabase} dropped after it.
 *
 * <p>Built only on the test-template API that JUnit Jupiter has kept unchanged from 5.0 to 6 — not on
 * {@code ArgumentsProvider}, whose abstract method changed in 5.13 (a provider compiled against JUnit 6 fails with
 * {@code AbstractMethodError} under 5.10–5.12). The database is created only when the invocation resolves its
 * parameter, so a test on one database never waits for another's server.
 */
final class EachDatabaseExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(EachDatabase.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        DatabaseKind[] kinds = context.getRequiredTestMethod().getAnnotation(EachDatabase.class).value();
        return Arrays.stream(kinds).map(kind -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return kind.label();
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Invocation(kind));
            }
        });
    }

    /** One run on one database: resolves the {@link TestDatabase} parameter and drops it afterwards. */
    private static final class Invocation implements ParameterResolver, AfterEachCallback {
        private final DatabaseKind kind;
        private TestDatabase database;

        Invocation(DatabaseKind kind) {
            this.kind = kind;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (database == null) {
                database = TestDatabases.fresh(kind);
            }
            return database;
        }

        /** A drop that fails fails the test: a leaked connection or a left-over database is a bug to see. */
        @Override
        public void afterEach(ExtensionContext context) {
            if (database != null) {
                database.close();
            }
        }
    }
}
