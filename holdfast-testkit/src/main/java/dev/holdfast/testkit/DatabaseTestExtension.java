package dev.holdfast.testkit;

import dev.holdfast.Database;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a {@link DatabaseTest} once per database and gives each run its {@link Database}, {@link DataSource} and
 * {@link TestDatabase}, isolated as the annotation asks. Databases shared by a test class (the ROLLBACK mode's schema,
 * the CLONE mode's SQLite template) live in the class's store and are dropped when the class is done.
 */
final class DatabaseTestExtension implements TestTemplateInvocationContextProvider {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(DatabaseTestExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(DatabaseTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        DatabaseTest spec = context.getRequiredTestMethod().getAnnotation(DatabaseTest.class);
        return Arrays.stream(spec.value()).map(kind -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return kind.name().toLowerCase(java.util.Locale.ROOT) + " (" + spec.isolation().name().toLowerCase(java.util.Locale.ROOT) + ")";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Invocation(kind, spec));
            }
        });
    }

    /** One run of a test on one database. */
    private static final class Invocation implements ParameterResolver, AfterEachCallback {
        private final DatabaseKind kind;
        private final DatabaseTest spec;
        private final List<AutoCloseable> toClose = new ArrayList<>();
        private Resources resources;

        Invocation(DatabaseKind kind, DatabaseTest spec) {
            this.kind = kind;
            this.spec = spec;
        }

        private record Resources(Database database, DataSource dataSource, TestDatabase testDatabase) {
        }

        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
            Class<?> type = pc.getParameter().getType();
            return type == Database.class || type == DataSource.class || type == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
            if (resources == null) {
                try {
                    resources = spec.isolation() == TestIsolation.ROLLBACK ? rollback(ec) : clone(ec);
                } catch (Exception e) {
                    throw new ParameterResolutionException("Could not prepare the " + kind + " database for "
                            + ec.getDisplayName() + ": " + e.getMessage(), e);
                }
            }
            Class<?> type = pc.getParameter().getType();
            return type == Database.class ? resources.database()
                    : type == DataSource.class ? resources.dataSource() : resources.testDatabase();
        }

        private Resources rollback(ExtensionContext ec) throws Exception {
            TestDatabase shared = classDatabase(ec, "rollback");
            Connection physical = shared.connect();
            physical.setAutoCommit(false);
            toClose.add(() -> {
                try {
                    physical.rollback();
                } finally {
                    physical.close();
                }
            });
            Connection view = RollbackConnection.over(physical);
            DataSource ds = new OneConnectionDataSource(view);
            Database db = Database.builder(ds).build();
            toClose.add(0, db);
            return new Resources(db, ds, shared);
        }

        private Resources clone(ExtensionContext ec) throws Exception {
            TestDatabase fresh = TestDatabases.fresh(kind);
            toClose.add(fresh);
            if (kind == DatabaseKind.SQLITE) {
                Path template = Path.of(classDatabase(ec, "clone-template").url().substring("jdbc:sqlite:".length()));
                Files.copy(template, Path.of(fresh.url().substring("jdbc:sqlite:".length())),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Database.Builder b = Database.builder(fresh.url());
            if (fresh.user() != null) {
                b.user(fresh.user()).password(fresh.password());
            }
            Database db = b.build();
            toClose.add(0, db);
            if (kind != DatabaseKind.SQLITE) {
                runSetup(ec, db);
            }
            DataSource ds = new OneConnectionDataSource(null) {
                @Override
                public Connection getConnection() throws SQLException {
                    return fresh.connect();
                }
            };
            return new Resources(db, ds, fresh);
        }

        /** A database shared by the test class for this kind and purpose, with the setup applied once. */
        private TestDatabase classDatabase(ExtensionContext ec, String purpose) {
            ExtensionContext classContext = ec.getParent().flatMap(ExtensionContext::getParent).orElse(ec);
            String key = kind + "/" + purpose;
            return classContext.getStore(NS).getOrComputeIfAbsent(key, k -> {
                TestDatabase tdb = TestDatabases.fresh(kind);
                // Closing the pool closes SQLite's last connection, which folds the WAL into the file a clone copies.
                try (Database db = open(tdb)) {
                    runSetup(ec, db);
                } catch (Exception e) {
                    tdb.close();
                    throw new IllegalStateException("The setup of " + ec.getRequiredTestClass().getSimpleName()
                            + " failed on " + kind + ": " + e.getMessage(), e);
                }
                return tdb;
            }, TestDatabase.class);
        }

        private static Database open(TestDatabase tdb) {
            Database.Builder b = Database.builder(tdb.url());
            if (tdb.user() != null) {
                b.user(tdb.user()).password(tdb.password());
            }
            return b.build();
        }

        private void runSetup(ExtensionContext ec, Database db) throws Exception {
            if (spec.setup().isEmpty()) {
                return;
            }
            Class<?> testClass = ec.getRequiredTestClass();
            Method m;
            try {
                m = testClass.getDeclaredMethod(spec.setup(), Database.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("@DatabaseTest(setup = \"" + spec.setup() + "\") needs a method static void "
                        + spec.setup() + "(Database db) in " + testClass.getName());
            }
            if (!Modifier.isStatic(m.getModifiers())) {
                throw new IllegalStateException(testClass.getName() + "." + spec.setup() + "(Database) must be static: it "
                        + "runs once per class in ROLLBACK mode");
            }
            m.setAccessible(true);
            try {
                m.invoke(null, db);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void afterEach(ExtensionContext context) throws Exception {
            Exception failure = null;
            for (AutoCloseable c : toClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            toClose.clear();
            resources = null;
            if (failure != null) {
                throw failure;
            }
        }
    }
}
