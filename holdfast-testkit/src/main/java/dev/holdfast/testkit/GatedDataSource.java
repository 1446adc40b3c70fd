package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The data source actors get. Called from an actor's thread, it hands out that actor's connection wrapped so that
 * every statement, commit and rollback is a step of the schedule ({@link GatedConnection}); called from any other
 * thread (setup, oracles, {@code Database.build()} reading metadata) it hands out a plain connection.
 */
final class GatedDataSource extends DataSourceBase {
    private final DataSource plain;

    GatedDataSource(DataSource plain) {
        this.plain = plain;
    }

    @Override
    public Connection getConnection() throws SQLException {
        ScheduleRun.ActorState actor = ScheduleRun.current();
        if (actor == null) {
            return plain.getConnection();
        }
        return GatedConnection.wrap(actor.run.borrow(actor), actor);
    }
}
