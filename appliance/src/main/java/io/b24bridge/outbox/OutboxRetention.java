package io.b24bridge.outbox;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

import io.b24bridge.store.Database;

/**
 * Removes what the outbox no longer needs (F16: nothing pruned them, the database grew without end): commands the
 * box took long ago, and calls that ended long ago with no command left. A call with any command left (pending, dead,
 * or done but younger than its cut-off) stays, so nothing waiting or inspectable is lost, and neither is what tells
 * reconciliation that a call already reached the CRM (its caller keeps that window shorter than the calls' cut-off).
 */
public final class OutboxRetention {

    private OutboxRetention() {
    }

    /** Deletes commands DONE before {@code cutoff}; returns how many. */
    public static int pruneDone(Database db, Instant cutoff) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM OUTBOX WHERE STATE = 'DONE' AND DONE_AT < ?")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes calls that ended and were last changed before {@code cutoff}, with no command left; returns how many. */
    public static int pruneFinishedCalls(Database db, Instant cutoff) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM CRM_CALLS WHERE ENDED = 1 AND UPDATED_AT < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM OUTBOX o WHERE o.CALL_KEY = CRM_CALLS.CALL_KEY)")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                return ps.executeUpdate();
            }
        });
    }
}
