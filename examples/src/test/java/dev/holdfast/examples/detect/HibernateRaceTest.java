package dev.holdfast.examples.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.detect.Catalogue;
import dev.holdfast.testkit.detect.Confirmation;
import dev.holdfast.testkit.detect.Finding;
import dev.holdfast.testkit.detect.RaceDetector;
import dev.holdfast.testkit.detect.Report;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The race detector on Hibernate: an entity without {@code @Version} changed with find / set / flush is flagged as a
 * lost update, and the explorer proves it by running two copies of the same Hibernate code on its own DataSource; the
 * same code on an entity with {@code @Version} is not flagged (Hibernate's {@code ... where id=? and version=?}).
 * PostgreSQL and MariaDB: SQLite serialises writers, so this read-modify-write cannot lose an update there.
 */
class HibernateRaceTest {
    private static final ThreadLocal<DataSource> CURRENT = new ThreadLocal<>();
    private static SessionFactory postgres;
    private static SessionFactory mariadb;

    /** A balance, as an application writes it: no version. */
    @Entity
    @Table(name = "hb_account")
    public static class Account {
        @Id
        Long id;
        int balance;

        protected Account() {}
    }

    /** The same, with optimistic locking. */
    @Entity
    @Table(name = "hb_versioned_account")
    public static class VersionedAccount {
        @Id
        Long id;
        int balance;
        @Version
        long version;

        protected VersionedAccount() {}
    }

    @BeforeAll
    static void sessionFactories() {
        postgres = sessionFactory("org.hibernate.dialect.PostgreSQLDialect");
        mariadb = sessionFactory("org.hibernate.dialect.MariaDBDialect");
    }

    @AfterAll
    static void close() {
        if (postgres != null) {
            postgres.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    /**
     * One SessionFactory per dialect for the whole class, its connections taken from whatever DataSource the running
     * thread names: the recording wrapper for the first run, the explorer's gated DataSource for each actor. Hibernate
     * reads no JDBC metadata at boot, so building it sends no statement.
     */
    private static SessionFactory sessionFactory(String dialect) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, new ThreadDataSource())
                .applySetting(AvailableSettings.DIALECT, dialect)
                .applySetting("hibernate.boot.allow_jdbc_metadata_access", "false")
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
                .build();
        return new MetadataSources(registry).addAnnotatedClass(Account.class).addAnnotatedClass(VersionedAccount.class)
                .buildMetadata().buildSessionFactory();
    }

    private static SessionFactory hibernate(TestDatabase db) {
        return db.kind() == DatabaseKind.POSTGRES ? postgres : mariadb;
    }

    /** The code path: find, set, flush (commit), as Hibernate users write it. docs/detect.md quotes it: change both. */
    static JdbcActor withdraw(SessionFactory sf, Class<?> entity, int amount) {
        return ds -> {
            CURRENT.set(ds);
            try {
                sf.inTransaction(session -> {
                    if (entity == Account.class) {
                        Account a = session.find(Account.class, 1L);
                        a.balance -= amount;
                    } else {
                        VersionedAccount a = session.find(VersionedAccount.class, 1L);
                        a.balance -= amount;
                    }
                    session.flush();
                });
            } finally {
                CURRENT.remove();
            }
        };
    }

    private static final String CREATE_ACCOUNT = "create table hb_account (id bigint primary key, balance int not null)";
    private static final String CREATE_VERSIONED =
            "create table hb_versioned_account (id bigint primary key, balance int not null, version bigint not null)";

    private static void create(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(CREATE_ACCOUNT);
            s.execute("insert into hb_account values (1, 100)");
            s.execute(CREATE_VERSIONED);
            s.execute("insert into hb_versioned_account values (1, 100, 0)");
        }
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void anEntityWithoutVersionIsALostUpdateAndTheExplorerProvesIt(TestDatabase db) throws Exception {
        DataSource plain = db.dataSource();
        create(plain);
        RaceDetector detector = RaceDetector.create();
        JdbcActor codePath = withdraw(hibernate(db), Account.class, 10);
        codePath.run(detector.wrap(plain));

        Report report = detector.analyse(plain);
        assertThat(report.findings()).as(report.toText()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.LOST_UPDATE);
            assertThat(f.tables()).containsExactly("hb_account");
            assertThat(f.status()).isEqualTo(Finding.Status.SUSPECTED);
        });
        Finding finding = report.findings().get(0);
        Confirmation c = detector.confirm(finding,
                Interleaver.on(db).setup(d -> {
                    d.execute(CREATE_ACCOUNT);
                    d.execute("insert into hb_account values (1, 100)");
                }),
                codePath, Duration.ofSeconds(120));
        assertThat(c.status()).as(c.toString()).isEqualTo(Finding.Status.PROVED);
        assertThat(c.schedule()).isNotBlank();
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void withVersionTheSameCodeIsNotFlagged(TestDatabase db) throws Exception {
        DataSource plain = db.dataSource();
        create(plain);
        RaceDetector detector = RaceDetector.create();
        withdraw(hibernate(db), VersionedAccount.class, 10).run(detector.wrap(plain));

        assertThat(detector.transactions()).anySatisfy(t -> assertThat(t.statements())
                .anySatisfy(s -> assertThat(s.sql()).contains("update hb_versioned_account").contains("version=?")));
        Report report = RaceDetector.analyse(detector.transactions(), Catalogue.of(plain));
        assertThat(report.findings()).as(report.toText()).isEmpty();
    }

    /** Hands Hibernate the DataSource the running thread was given. */
    private static final class ThreadDataSource extends ForwardingDataSource {
        @Override
        DataSource target() {
            DataSource ds = CURRENT.get();
            if (ds == null) {
                throw new IllegalStateException("Hibernate asked for a connection outside withdraw(...)");
            }
            return ds;
        }
    }
}
