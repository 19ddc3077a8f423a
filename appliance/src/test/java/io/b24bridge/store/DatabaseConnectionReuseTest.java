package io.b24bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Database} keeps a committed transaction's connection for the next one (a connection per transaction cost
 * 6–7 % of the appliance's CPU), and never hands on one that a failure, a shutdown or a changed setting spoilt.
 */
class DatabaseConnectionReuseTest {

    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                return s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            }
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theNextTransactionRunsOnTheConnectionTheLastOneCommittedOn() {
        Connection first = db.inTransaction(c -> insert(c, 1));
        Connection second = db.inTransaction(c -> insert(c, 2));
        assertSame(first, second);
        assertEquals(2, count());
    }

    @Test
    void aFailedTransactionsConnectionIsClosedAndWhatItWroteRolledBack() {
        Connection used = db.inTransaction(c -> insert(c, 1));
        Connection[] failed = new Connection[1];
        assertThrows(StoreException.class, () -> db.inTransaction(c -> {
            failed[0] = c;
            insert(c, 2);
            return insert(c, 1); // duplicate key: 23505
        }));
        assertSame(used, failed[0]);
        assertEquals(true, isClosed(failed[0]));
        assertNotSame(failed[0], db.inTransaction(c -> c));
        assertEquals(1, count(), "the failed transaction's first insert is rolled back");
    }

    @Test
    void aTransactionThatThrowsAnUncheckedExceptionRollsBackAndLeavesItsConnection() {
        assertThrows(IllegalStateException.class, () -> db.inTransaction(c -> {
            insert(c, 7);
            throw new IllegalStateException("a rule of the caller");
        }));
        assertEquals(0, count());
    }

    @Test
    void anIsolationLevelSetByOneTransactionIsNotInheritedByTheNext() {
        db.inTransaction(c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED); // as OutboxReport does
            return null;
        });
        assertEquals(Connection.TRANSACTION_READ_COMMITTED,
                (int) db.inTransaction(Connection::getTransactionIsolation));
    }

    @Test
    void aShutdownOfTheDatabaseBetweenTransactionsCostsTheNextOneNothing() throws Exception {
        Connection kept = db.inTransaction(c -> insert(c, 1));
        // what Derby does itself on a full disk (XSLA0): the database shut down under the kept connection
        SQLException down = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:derby:" + db.dir().toAbsolutePath() + ";shutdown=true"));
        assertEquals("08006", down.getSQLState());
        Connection next = db.inTransaction(c -> insert(c, 2));
        assertNotSame(kept, next);
        assertEquals(2, count(), "the database booted again with both rows");
    }

    @Test
    void aClosedDatabaseRefusesTransactions() {
        db.inTransaction(c -> insert(c, 1));
        db.close();
        StoreException refused = assertThrows(StoreException.class, () -> db.inTransaction(c -> insert(c, 2)));
        assertEquals("database error: the database is closed", refused.getMessage());
    }

    private static Connection insert(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
        return c;
    }

    private int count() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
