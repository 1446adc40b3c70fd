package dev.holdfast.bench.peers;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Database;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * What one trial needs: a fresh schema on one database, and the one library under test opened on it the way its
 * users open it. Holdfast builds its own HikariCP pool; the peers share a HikariCP pool with the same settings.
 */
public final class Peers implements AutoCloseable {
    public final Target target;
    public final String library;
    public HikariDataSource pool;
    public Database holdfast;
    public SessionFactory hibernate;
    public Jdbi jdbi;
    public DSLContext jooq;

    private Peers(Target target, String library) {
        this.target = target;
        this.library = library;
    }

    /**
     * Opens {@code library} ({@code jdbc}, {@code holdfast}, {@code hibernate}, {@code jdbi} or {@code jooq}) on a
     * fresh schema.
     */
    public static Peers open(String database, String library) throws Exception {
        return open(database, library, url -> url);
    }

    /** {@link #open(String, String)} with every connection made through {@code route} (see {@link Target#route}). */
    public static Peers open(String database, String library, java.util.function.UnaryOperator<String> route)
            throws Exception {
        Peers p = new Peers(Target.of(database), library);
        p.target.reset();
        p.target.route(route);
        switch (library) {
            case "holdfast" -> p.holdfast = p.target.holdfast();
            case "jdbc" -> p.pool = p.target.pool();
            case "hibernate" -> {
                p.pool = p.target.pool();
                p.hibernate = hibernate(p.target, p.pool);
            }
            case "jdbi" -> {
                p.pool = p.target.pool();
                p.jdbi = Jdbi.create(p.pool);
                p.jdbi.registerRowMapper(ConstructorMapper.factory(Thing.class));
            }
            case "jooq" -> {
                p.pool = p.target.pool();
                p.jooq = DSL.using(p.pool, dialect(p.target), new Settings()
                        .withExecuteLogging(false)       // what a production set-up does: no per-statement debug hook
                        .withRenderSchema(false));
            }
            default -> throw new IllegalArgumentException("unknown library " + library);
        }
        return p;
    }

    /** Hibernate configured in code, on the peers' pool; the SQLite dialect comes from hibernate-community-dialects. */
    static SessionFactory hibernate(Target target, HikariDataSource pool) {
        Configuration cfg = new Configuration()
                .addAnnotatedClass(ThingEntity.class)
                .addAnnotatedClass(CounterEntity.class)
                .addAnnotatedClass(PlainCounterEntity.class);
        cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool);
        cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, "none");
        cfg.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "50");
        cfg.setProperty(AvailableSettings.ORDER_INSERTS, "true");
        cfg.setProperty(AvailableSettings.SHOW_SQL, "false");
        if (target == Target.SQLITE) {
            cfg.setProperty(AvailableSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect");
        }
        return cfg.buildSessionFactory();
    }

    static SQLDialect dialect(Target target) {
        return target.isSqlite() ? SQLDialect.SQLITE : target.isPostgres() ? SQLDialect.POSTGRES : SQLDialect.MARIADB;
    }

    @Override
    public void close() {
        if (hibernate != null) {
            hibernate.close();
        }
        if (holdfast != null) {
            holdfast.close();
        }
        if (pool != null) {
            pool.close();
        }
    }
}
