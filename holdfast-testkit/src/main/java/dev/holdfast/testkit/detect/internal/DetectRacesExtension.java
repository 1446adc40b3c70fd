package dev.holdfast.testkit.detect.internal;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.detect.Catalogue;
import dev.holdfast.testkit.detect.Confirmation;
import dev.holdfast.testkit.detect.DetectRaces;
import dev.holdfast.testkit.detect.Finding;
import dev.holdfast.testkit.detect.RaceDetection;
import dev.holdfast.testkit.detect.RaceDetector;
import dev.holdfast.testkit.detect.RecordedTransaction;
import dev.holdfast.testkit.detect.Report;
import dev.holdfast.testkit.detect.TraceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link DetectRaces}: one detector per test class, analysis (and confirmation) right after each
 * test method — before {@code @AfterEach} and before {@code @EachDatabase} drops the test's database, so the catalogue
 * and the explorer still find it — and the class's report at the end.
 */
public final class DetectRacesExtension implements BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback,
        ParameterResolver {
    /** Where the reports go; a relative path is under the working directory (the module, under Maven). */
    public static final String REPORT_DIR_PROPERTY = "holdfast.detect.reportDir";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DetectRacesExtension.class);
    private static volatile ClassRun current;

    @Override
    public void beforeAll(ExtensionContext context) {
        DetectRaces settings = settings(context.getRequiredTestClass());
        ClassRun run = new ClassRun(context.getRequiredTestClass(), settings);
        context.getStore(NAMESPACE).put(ClassRun.class, run);
        run.previous = current; // a @Nested class runs inside its enclosing class: give the bean back afterwards
        current = run;
    }

    /** The annotation of the class, or of the class enclosing a {@code @Nested} one (which inherits the extension). */
    private static DetectRaces settings(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            java.util.Optional<DetectRaces> found = AnnotationSupport.findAnnotation(c, DetectRaces.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException("DetectRacesExtension is registered by @DetectRaces; put @DetectRaces on "
                + testClass.getName() + " instead of @ExtendWith");
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        run(context).afterTest(context.getDisplayName(), context.getParent().map(ExtensionContext::getDisplayName).orElse(""));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        ClassRun run = run(context);
        if (current == run) {
            current = run.previous;
        }
        run.afterTest("(after the tests)", "");
        run.finish();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RaceDetection.class || type == RaceDetector.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClassRun run = run(context);
        return parameter.getParameter().getType() == RaceDetector.class ? run.detector : run;
    }

    private static ClassRun run(ExtensionContext context) {
        ExtensionContext c = context;
        while (c != null) {
            ClassRun run = c.getStore(NAMESPACE).get(ClassRun.class, ClassRun.class);
            if (run != null) {
                return run;
            }
            c = c.getParent().orElse(null);
        }
        throw new IllegalStateException("no @DetectRaces run for " + context.getUniqueId() + "; a @DetectRaces class "
                + "starts its detector before its first test");
    }

    /** See {@link RaceDetection#recording(DataSource)}. */
    public static DataSource recording(DataSource target) {
        return new RecordingBean(Objects.requireNonNull(target, "target"));
    }

    private record CodePath(String name, Interleaver.Builder explorer, JdbcActor actor) {}

    private record Found(String test, Finding finding, List<String> notes) {}

    /** Everything one test class recorded and found. */
    private static final class ClassRun implements RaceDetection {
        final Class<?> testClass;
        final DetectRaces settings;
        final RaceDetector detector = RaceDetector.create();
        final Map<DataSource, DataSource> wrapped = new IdentityHashMap<>();
        final List<RecordedTransaction> all = new ArrayList<>();
        final List<Found> found = new ArrayList<>();
        final List<String> unparsed = new ArrayList<>();
        final List<CodePath> paths = new ArrayList<>();
        DataSource catalogueSource;
        ClassRun previous;

        ClassRun(Class<?> testClass, DetectRaces settings) {
            this.testClass = testClass;
            this.settings = settings;
        }

        @Override
        public RaceDetector detector() {
            return detector;
        }

        @Override
        public synchronized DataSource wrap(DataSource target) {
            Objects.requireNonNull(target, "target");
            catalogueSource = target;
            return wrapped.computeIfAbsent(target, detector::wrap);
        }

        synchronized DataSource wrapQuietly(DataSource target) {
            if (catalogueSource == null) {
                catalogueSource = target;
            }
            return wrapped.computeIfAbsent(target, detector::wrap);
        }

        @Override
        public synchronized RaceDetection catalogue(DataSource source) {
            catalogueSource = Objects.requireNonNull(source, "source");
            return this;
        }

        @Override
        public synchronized RaceDetection codePath(String name, Interleaver.Builder explorer, JdbcActor codePath) {
            paths.add(new CodePath(Objects.requireNonNull(name, "name"), Objects.requireNonNull(explorer, "explorer"),
                    Objects.requireNonNull(codePath, "codePath")));
            return this;
        }

        synchronized void afterTest(String test, String parent) {
            List<RecordedTransaction> recorded = detector.transactions();
            detector.clear();
            List<CodePath> testPaths = List.copyOf(paths);
            paths.clear();
            DataSource source = catalogueSource; // the last one wrapped or named: class-wide, as a DataSource may be
            if (recorded.isEmpty()) {
                return;
            }
            all.addAll(recorded);
            String name = parent.isEmpty() || parent.equals(testClass.getSimpleName()) ? test : parent + " " + test;
            List<String> notes = new ArrayList<>();
            Catalogue catalogue = catalogue(source, recorded, notes);
            if (catalogue == null) {
                unparsed.add(name + ": " + notes.get(0));
                return;
            }
            Report report = RaceDetector.analyse(recorded, catalogue);
            report.unparsed().forEach(u -> unparsed.add(name + ": " + u));
            for (Finding f : report.findings()) {
                found.add(confirm(name, f, testPaths, new ArrayList<>(notes)));
            }
        }

        private Found confirm(String test, Finding finding, List<CodePath> testPaths, List<String> notes) {
            Finding result = finding;
            for (CodePath p : testPaths) {
                Confirmation c;
                try {
                    c = detector.confirm(finding, p.explorer(), p.actor(), Duration.ofSeconds(settings.confirmSeconds()));
                } catch (RuntimeException e) {
                    notes.add("code path '" + p.name() + "' could not be explored: " + e);
                    continue;
                }
                result = finding.confirmedBy(c);
                notes.add("code path '" + p.name() + "': " + c.status() + " after " + c.runs() + " schedule(s)"
                        + (c.proved() || c.complete() ? "" : " (stopped by the budget or the schedule limit)"));
                if (c.proved()) {
                    break;
                }
            }
            if (testPaths.isEmpty()) {
                notes.add("no code path registered (RaceDetection.codePath), so not confirmed");
            }
            return new Found(test, result, notes);
        }

        private static Catalogue catalogue(DataSource source, List<RecordedTransaction> recorded, List<String> notes) {
            if (source != null) {
                try {
                    return Catalogue.of(source);
                } catch (RuntimeException e) {
                    notes.add("the catalogue could not be read (" + e.getMessage() + "); unique keys unknown");
                }
            }
            DatabaseKind kind = recorded.stream().map(RecordedTransaction::database).filter(Objects::nonNull).findFirst()
                    .orElse(null);
            if (kind == null) {
                notes.add(recorded.size() + " transaction(s) not analysed: the database is unknown; record through "
                        + "RaceDetection.wrap(dataSource) or name it with RaceDetection.catalogue(dataSource)");
                return null;
            }
            if (source == null) {
                notes.add("no catalogue (RaceDetection.wrap or .catalogue): unique keys unknown");
            }
            return Catalogue.unknown(kind);
        }

        synchronized void finish() throws IOException {
            long proved = found.stream().filter(f -> f.finding().status() == Finding.Status.PROVED).count();
            StringBuilder text = new StringBuilder();
            text.append("holdfast race detector: ").append(testClass.getName()).append(": ").append(all.size())
                    .append(" transaction(s), ").append(found.size()).append(" finding(s), ").append(proved)
                    .append(" proved\n");
            for (Found f : found) {
                text.append("\n[").append(f.test()).append("] ").append(f.finding().toText());
                if (!text.toString().endsWith("\n")) {
                    text.append('\n');
                }
                for (String note : f.notes()) {
                    text.append("  note: ").append(note).append('\n');
                }
            }
            if (!unparsed.isEmpty()) {
                text.append("\nNot analysed:\n");
                unparsed.forEach(u -> text.append("  ").append(u).append('\n'));
            }
            Path dir = Path.of(System.getProperty(REPORT_DIR_PROPERTY, "target/holdfast-races"));
            Files.createDirectories(dir);
            Path reportFile = dir.resolve(testClass.getName() + ".txt");
            Files.writeString(reportFile, text, StandardCharsets.UTF_8);
            TraceFile.write(dir.resolve(testClass.getName() + ".trace"), all);
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            if (!found.isEmpty() || !unparsed.isEmpty()) {
                out.print(text);
            }
            out.println("holdfast race detector: report in " + reportFile.toAbsolutePath());
            out.flush();
            if (settings.mode() == DetectRaces.Mode.FAIL && proved > 0) {
                throw new AssertionError(proved + " proved race(s) in " + testClass.getName() + " (@DetectRaces(mode = FAIL)); "
                        + "report in " + reportFile.toAbsolutePath() + "\n" + text);
            }
        }
    }

    /** The bean of {@link RaceDetection#recording(DataSource)}: records while a {@code @DetectRaces} class runs. */
    private static final class RecordingBean extends DelegatingDataSource {
        RecordingBean(DataSource target) {
            super(target);
        }

        private DataSource delegate() {
            ClassRun run = current;
            return run == null ? target : run.wrapQuietly(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return delegate().getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return delegate().getConnection(username, password);
        }
    }
}
