package io.b24bridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.store.Database;

/**
 * The queue of commands for the box ({@code OUTBOX}, its one owner): appended with the call change that caused
 * them, sent in order per call (by {@code SEQ}), each moving {@link OutboxState#PENDING} → (
 * {@link OutboxState#SENDING}) → {@link OutboxState#DONE}, or set aside as {@link OutboxState#DEAD}.
 * {@code (CALL_KEY, SEQ)} is each command's idempotency key.
 */
public final class OutboxQueue {

    /** A stored command. */
    public record Entry(long id, CallKey call, int seq, String kind, CrmCommand command, OutboxState state,
                        int attempts, Instant nextAt, String lastError, Instant createdAt) {

        /** It may have reached the box before a crash (or a lost answer) cut in: a repeat must be recognised. */
        public boolean maybeSent() {
            return state == OutboxState.SENDING;
        }
    }

    private static final String COLUMNS = "ID, SEQ, KIND, PAYLOAD, STATE, ATTEMPTS, NEXT_AT, LAST_ERROR, CREATED_AT";

    private final Database db;
    private final StoredJson json;
    /** Ids of new OUTBOX rows (see {@link IdSequence}: not Derby's identity generator). */
    private final IdSequence ids = new IdSequence("OUTBOX");

    OutboxQueue(Database db, StoredJson json) {
        this.db = db;
        this.json = json;
    }

    /** Appends a command of a call inside the journal's transaction. */
    void append(Connection c, CrmCommand cmd, int seq, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO OUTBOX (CALL_KEY, SEQ, KIND, PAYLOAD, STATE, "
                + "ATTEMPTS, NEXT_AT, CREATED_AT, ID) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
            ps.setString(1, cmd.call().externalCallId());
            ps.setInt(2, seq);
            ps.setString(3, StoredCommand.kind(cmd));
            ps.setString(4, json.write(StoredCommand.of(cmd)));
            ps.setString(5, OutboxState.PENDING.name());
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setLong(8, ids.next(c));
            ps.executeUpdate();
        }
    }

    /**
     * The waiting commands' rows through their index ({@code OUTBOX_READY}: STATE, NEXT_AT), never a scan of the
     * table: with the index's statistics (4 states) Derby reckons half the table waits and scans every row, DONE
     * ones included — measured, the scheduler's scans were the outbox's largest cost under load (JFR, 2026-12-03).
     * PENDING and SENDING sort next to each other, so the index range holds the waiting rows only.
     */
    private static final String WAITING_ROWS = "FROM OUTBOX --DERBY-PROPERTIES index=OUTBOX_READY\n"
            + "WHERE STATE IN " + OutboxState.WAITING_SQL + " AND NEXT_AT <= ? GROUP BY CALL_KEY ";

    /** Calls with a command due now (pending, or left SENDING by a crash), oldest first. */
    public List<CallKey> readyCalls(Instant now, int limit) {
        return db.inTransactionUpToDate(c -> {
            List<CallKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, MIN(ID) " + WAITING_ROWS + "ORDER BY 2")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(CallKey.parse(rs.getString(1)));
                    }
                }
            }
            return keys;
        });
    }

    /** A call with commands waiting, and when the first of them is due. */
    public record Waiting(CallKey call, Instant dueAt) {
    }

    /**
     * Calls with a command waiting that is due by {@code horizon} (now, or after a pause ending by then), the one due
     * first first: in one query what is ready now (due ≤ now: these lead the list) and how large the backlog is.
     */
    public List<Waiting> waitingCalls(Instant horizon, int limit) {
        return db.inTransactionUpToDate(c -> {
            List<Waiting> calls = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, MIN(NEXT_AT), MIN(ID) " + WAITING_ROWS
                    + "ORDER BY 2, 3")) {
                ps.setTimestamp(1, Timestamp.from(horizon));
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        calls.add(new Waiting(CallKey.parse(rs.getString(1)), rs.getTimestamp(2).toInstant()));
                    }
                }
            }
            return calls;
        });
    }

    /** The call's first command not done (pending, sending or dead), if any. */
    public Optional<Entry> head(CallKey call) {
        return db.inTransactionUpToDate(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM OUTBOX WHERE CALL_KEY = ? "
                    + "AND STATE <> '" + OutboxState.DONE + "' ORDER BY SEQ FETCH FIRST 1 ROW ONLY")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(call, rs)) : Optional.<Entry>empty();
                }
            }
        });
    }

    /** The first command not done of each of these calls (those that have one), read in one transaction. */
    public List<Entry> heads(List<CallKey> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        return db.inTransactionUpToDate(c -> {
            List<Entry> heads = new ArrayList<>(calls.size());
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM OUTBOX WHERE CALL_KEY = ? "
                    + "AND STATE <> '" + OutboxState.DONE + "' ORDER BY SEQ FETCH FIRST 1 ROW ONLY")) {
                for (CallKey call : calls) {
                    ps.setString(1, call.externalCallId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            heads.add(entry(call, rs));
                        }
                    }
                }
            }
            return heads;
        });
    }

    /**
     * Marks a command as possibly sent: before a send whose repeat the box would not recognise by itself. Attempts are
     * counted by how the send ends ({@link #retryAt}, {@link #dead}), not here.
     */
    public void sending(Entry e) {
        sending(List.of(e));
    }

    /** Marks the commands of a batch as possibly sent, in one transaction. */
    void sending(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE OUTBOX SET STATE = ? WHERE ID = ?")) {
                for (Entry e : entries) {
                    ps.setString(1, OutboxState.SENDING.name());
                    ps.setLong(2, e.id());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The command succeeded, inside the caller's transaction (with what it taught, see {@link Outbox#done}). */
    void done(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE OUTBOX SET STATE = ?, DONE_AT = ?, LAST_ERROR = NULL WHERE ID = ?")) {
            ps.setString(1, OutboxState.DONE.name());
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setLong(3, e.id());
            ps.executeUpdate();
        }
    }

    /** The command failed for now: due again at {@code nextAt}; a command possibly sent stays so. */
    public void retryAt(Entry e, Instant nextAt, String error) {
        retryAt(e, nextAt, error, true);
    }

    /**
     * The command failed for now: due again at {@code nextAt}.
     *
     * @param maybeSent false: this attempt's failure proves the box did not take it, so a mark of "possibly sent"
     *                  made for this attempt goes (PENDING again)
     */
    public void retryAt(Entry e, Instant nextAt, String error, boolean maybeSent) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE OUTBOX SET STATE = CASE WHEN STATE = '"
                    + OutboxState.SENDING + "' AND ? = 1 THEN STATE ELSE '" + OutboxState.PENDING + "' END, "
                    + "ATTEMPTS = ATTEMPTS + 1, NEXT_AT = ?, LAST_ERROR = ? WHERE ID = ?")) {
                ps.setInt(1, maybeSent ? 1 : 0);
                ps.setTimestamp(2, Timestamp.from(nextAt));
                ps.setString(3, truncate(error));
                ps.setLong(4, e.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The command failed for good: a dead letter, shown in /health and the API; the call's later commands wait. */
    public void dead(Entry e, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE OUTBOX SET STATE = ?, ATTEMPTS = ATTEMPTS + 1, LAST_ERROR = ? WHERE ID = ?")) {
                ps.setString(1, OutboxState.DEAD.name());
                ps.setString(2, truncate(error));
                ps.setLong(3, e.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The box is back: every command waiting out a retry pause is due now. */
    public int dueNow() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE OUTBOX SET NEXT_AT = ? "
                    + "WHERE STATE IN " + OutboxState.WAITING_SQL + " AND NEXT_AT > ?")) {
                Timestamp now = Timestamp.from(Instant.now());
                ps.setTimestamp(1, now);
                ps.setTimestamp(2, now);
                return ps.executeUpdate();
            }
        });
    }

    /** An operator's retry of a dead letter: pending again, now. */
    public boolean revive(long id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE OUTBOX SET STATE = ?, NEXT_AT = ? "
                    + "WHERE ID = ? AND STATE = ?")) {
                ps.setString(1, OutboxState.PENDING.name());
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.setLong(3, id);
                ps.setString(4, OutboxState.DEAD.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Reads a row selected with the queue's columns (in their order). */
    Entry entry(CallKey call, ResultSet rs) throws SQLException {
        String kind = rs.getString(3);
        StoredCommand stored = json.read(rs.getString(4), StoredCommand.type(kind));
        if (stored.v() != null && stored.v() != StoredCommand.VERSION) {
            throw new IllegalStateException("a stored " + kind + " of version " + stored.v() + " (this version reads "
                    + StoredCommand.VERSION + "): written by a newer b24bridge?");
        }
        return new Entry(rs.getLong(1), call, rs.getInt(2), kind, stored.toDomain(),
                OutboxState.valueOf(rs.getString(5)), rs.getInt(6), rs.getTimestamp(7).toInstant(), rs.getString(8),
                rs.getTimestamp(9).toInstant());
    }

    static String columns() {
        return COLUMNS;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }
}
