package io.b24bridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.calls.CallKey;
import io.b24bridge.store.Database;

/** What the outbox holds, for operators (/health, /api/outbox): counts per state and the dead letters. */
public final class OutboxReport {

    /** Counts per state, and the age of the oldest command not done. */
    public record Counts(long pending, long sending, long dead, long done, Instant oldestWaiting) {
    }

    private final Database db;
    private final OutboxQueue queue;

    OutboxReport(Database db, OutboxQueue queue) {
        this.db = db;
        this.queue = queue;
    }

    /**
     * The counts as of now, read without waiting for the writers: a count that includes a command being
     * committed this instant is as good for /health, and health must answer while the spine and the dispatcher
     * hold row locks under load (at read committed the scan waited for them, and /health for 20 s and more).
     */
    public Counts counts() {
        return db.inTransaction(c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            Map<OutboxState, Long> byState = new EnumMap<>(OutboxState.class);
            try (PreparedStatement ps = c.prepareStatement("SELECT STATE, COUNT(*) FROM OUTBOX GROUP BY STATE");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(OutboxState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            Instant oldest = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MIN(CREATED_AT) FROM OUTBOX WHERE STATE IN " + OutboxState.WAITING_SQL);
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    oldest = rs.getTimestamp(1).toInstant();
                }
            }
            return new Counts(byState.getOrDefault(OutboxState.PENDING, 0L),
                    byState.getOrDefault(OutboxState.SENDING, 0L), byState.getOrDefault(OutboxState.DEAD, 0L),
                    byState.getOrDefault(OutboxState.DONE, 0L), oldest);
        });
    }

    /** The commands that failed for good, oldest first. */
    public List<OutboxQueue.Entry> deadLetters(int limit) {
        return db.inTransaction(c -> {
            List<OutboxQueue.Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OutboxQueue.columns()
                    + ", CALL_KEY FROM OUTBOX WHERE STATE = ? ORDER BY ID")) {
                ps.setString(1, OutboxState.DEAD.name());
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(queue.entry(CallKey.parse(rs.getString(10)), rs));
                    }
                }
            }
            return out;
        });
    }
}
