package dev.holdfast.testdb;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Supplies one fresh {@link TestDatabase} per kind named by {@link EachDatabase}.
 *
 * <p>Each database is created only when its invocation is about to run. JUnit closes {@code AutoCloseable} arguments
 * at the end of each invocation ({@code autoCloseArguments}); the method's store closes any left over as well.
 */
final class EachDatabaseProvider implements ArgumentsProvider {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EachDatabaseProvider.class);

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        DatabaseKind[] kinds = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), EachDatabase.class)
                .map(EachDatabase::value)
                .orElse(DatabaseKind.values());
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        return Arrays.stream(kinds).map(kind -> {
            TestDatabase db = TestDatabases.fresh(kind);
            store.put(db, db);
            return Arguments.of(db);
        });
    }
}
