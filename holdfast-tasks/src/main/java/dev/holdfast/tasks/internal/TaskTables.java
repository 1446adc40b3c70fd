package dev.holdfast.tasks.internal;

import dev.holdfast.Database;
import dev.holdfast.error.HoldfastException;
import java.util.List;
import java.util.Locale;

/**
 * The one table durable tasks live in, {@code holdfast_task}, per database. Created with {@code create ... if not
 * exists} when a {@code Tasks} opens, so any number of processes may open at once; docs/tasks.md shows the DDL.
 */
public enum TaskTables {
    SQLITE("text", "", "", true),
    POSTGRES("text", "", " for update skip locked", true),
    MARIADB("mediumtext", " engine=InnoDB", " for update skip locked", false);

    /** The table's name. */
    public static final String TABLE = "holdfast_task";

    private final String textType;
    private final String tableOptions;
    private final String claimLock;
    private final boolean updateReturning;

    TaskTables(String textType, String tableOptions, String claimLock, boolean updateReturning) {
        this.textType = textType;
        this.tableOptions = tableOptions;
        this.claimLock = claimLock;
        this.updateReturning = updateReturning;
    }

    /** Whether an {@code update ... returning} claims in one statement (PostgreSQL, SQLite 3.35+; not MariaDB). */
    public boolean updateReturning() {
        return updateReturning;
    }

    /** What the claim's SELECT ends with: {@code for update skip locked} where the database has it (SQLite's single writer needs none). */
    public String claimLock() {
        return claimLock;
    }

    /** The database behind {@code db}, from its URL or, for a DataSource, by asking it. */
    public static TaskTables of(Database db) {
        String url = db.url() == null ? "" : db.url().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        String d = db.toString().toLowerCase(Locale.ROOT);
        if (d.contains("sqlite")) {
            return SQLITE;
        }
        if (d.contains("postgres")) {
            return POSTGRES;
        }
        if (d.contains("maria") || d.contains("mysql")) {
            return MARIADB;
        }
        throw new HoldfastException("holdfast-tasks runs on SQLite, PostgreSQL and MariaDB/MySQL; " + db
                + " is none of these");
    }

    /** The DDL, in order. */
    public List<String> ddl() {
        return List.of("""
                create table if not exists holdfast_task (
                  id varchar(36) not null primary key,
                  type varchar(200) not null,
                  unique_key varchar(200) unique,
                  parent_id varchar(36),
                  state varchar(16) not null,
                  stop_requested varchar(16),
                  checkpoint %1$s not null,
                  done bigint not null,
                  total bigint not null,
                  message varchar(1000),
                  attempts int not null,
                  max_attempts int not null,
                  run_at bigint not null,
                  token bigint not null,
                  worker varchar(200),
                  lease_until bigint,
                  heartbeat_at bigint,
                  error %1$s,
                  created_at bigint not null,
                  updated_at bigint not null
                )%2$s""".formatted(textType, tableOptions),
                "create index if not exists holdfast_task_claim on holdfast_task (state, run_at)",
                "create index if not exists holdfast_task_parent on holdfast_task (parent_id)");
    }

    /** Runs the DDL. Two processes creating the table at once may collide on PostgreSQL's catalog; the loser checks the table is there. */
    public void create(Database db) {
        for (String sql : ddl()) {
            try {
                db.execute(sql);
            } catch (HoldfastException e) {
                try {
                    db.queryScalar(Long.class, "select count(*) from holdfast_task where 1 = 0");
                    db.execute(sql);
                } catch (HoldfastException again) {
                    again.addSuppressed(e);
                    throw new HoldfastException("could not create the table holdfast_task (" + again.getMessage()
                            + "); the user needs the right to create tables, or create it from docs/tasks.md", again);
                }
            }
        }
    }
}
