package io.b24bridge.jobs;

import java.sql.Connection;
import java.sql.SQLException;

import org.quartz.utils.ConnectionProvider;

import io.b24bridge.store.Database;

/**
 * Quartz's connections: the appliance's own embedded Derby. No pool is needed — an embedded connection is a few
 * objects in this JVM, opened in microseconds — and Quartz's store lives in the same database as everything else,
 * in the same backups.
 */
final class DerbyConnections implements ConnectionProvider {

    private final Database db;

    DerbyConnections(Database db) {
        this.db = db;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return db.connection();
    }

    @Override
    public void shutdown() {
        // the database is the appliance's: it is closed by its own part, after the scheduler
    }

    @Override
    public void initialize() {
    }
}
