package dev.holdfast.bench;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The cost per test of each way to give a test a clean database, doing what the test kit's {@code @DatabaseTest} does
 * around one small test (one insert): ROLLBACK (a connection, an outer transaction, a rollback), CLONE (a fresh
 * database with the setup applied, dropped afterwards; SQLite copies a template file), and, for comparison, dropping
 * and re-creating the schema on one kept connection. Median of {@code n} tests after as many warm-up tests.
 */
public final class TestIsolationCost {
    private static final String[] SCHEMA = {
        "create table account (id int primary key, balance int not null)",
        "create table entry (id int primary key, account_id int not null, amount int not null)",
        "insert into account (id, balance) values (1, 100)"
    };

    private TestIsolationCost() {
    }

    interface Test {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        for (DatabaseKind kind : DatabaseKind.values()) {
            try (TestDatabase shared = TestDatabases.fresh(kind); Connection kept = shared.connect()) {
                setup(kept);
                double rollback = median(n, () -> {
                    try (Connection c = shared.connect()) {
                        c.setAutoCommit(false);
                        work(c);
                        c.rollback();
                    }
                });
                Path template = kind == DatabaseKind.SQLITE ? Path.of(shared.url().substring("jdbc:sqlite:".length())) : null;
                double clone = median(n, () -> {
                    try (TestDatabase fresh = TestDatabases.fresh(kind)) {
                        if (template != null) {
                            Files.copy(template, Path.of(fresh.url().substring("jdbc:sqlite:".length())),
                                    StandardCopyOption.REPLACE_EXISTING);
                        }
                        try (Connection c = fresh.connect()) {
                            if (template == null) {
                                setup(c);
                            }
                            work(c);
                        }
                    }
                });
                double recreate = median(n, () -> {
                    try (Statement st = kept.createStatement()) {
                        st.execute("drop table entry");
                        st.execute("drop table account");
                    }
                    setup(kept);
                    work(kept);
                });
                System.out.printf("%-8s per test: rollback %6.2f ms | clone %6.2f ms | drop+re-create %6.2f ms%n",
                        kind, rollback, clone, recreate);
            }
        }
    }

    private static void setup(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            for (String s : SCHEMA) {
                st.execute(s);
            }
        }
    }

    private static void work(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("insert into entry (id, account_id, amount) values (1, 1, 5)");
        }
    }

    private static double median(int n, Test test) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < 2 * n; i++) {
            long t = System.nanoTime();
            test.run();
            if (i >= n) {
                ms[i - n] = (System.nanoTime() - t) / 1e6;
            }
        }
        java.util.Arrays.sort(ms);
        return ms[n / 2];
    }
}
