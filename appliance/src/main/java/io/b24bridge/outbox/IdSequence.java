package io.b24bridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ids for one table's new rows: the largest stored id, read at the first insert, then counted up. Used instead
 * of a Derby identity column, whose generator fails an insert with a lock timeout (40XL1) right after Derby
 * recompiles the statement — measured in a burst of calls while the box was away (see V005). Safe because the
 * store using it is its table's one writer in the process, and Derby's embedded lock keeps other processes
 * out. A rolled-back insert leaves a gap; ids only need to be unique and rising.
 */
final class IdSequence {

    private final String table;
    private long last = -1;

    IdSequence(String table) {
        this.table = table;
    }

    synchronized long next(Connection c) throws SQLException {
        if (last < 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(ID), 0) FROM " + table);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
        }
        return ++last;
    }
}
