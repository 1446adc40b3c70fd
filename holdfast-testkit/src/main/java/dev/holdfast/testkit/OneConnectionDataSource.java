package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** A data source that always hands out the same connection (a {@link RollbackConnection}, whose close does nothing). */
class OneConnectionDataSource extends DataSourceBase {
    private final Connection connection;

    OneConnectionDataSource(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }
}
