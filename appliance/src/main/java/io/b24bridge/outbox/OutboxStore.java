package io.b24bridge.outbox;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.calls.CallCrmState;
import io.b24bridge.calls.CallJournal;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CrmCommand;
import io.b24bridge.calls.CrmLifecycle;
import io.b24bridge.store.Database;

/**
 * The outbox's tables: call states and commands for the box. The one owner of {@code CRM_CALLS} and
 * {@code OUTBOX}; ratings that come with a call change go through {@link OperatorRatingsStore} in the same
 * transaction. Writes happen in single transactions: a call's change with its
 * commands and ratings, a command's outcome with what it taught us (the box's CALL_ID, the CRM entity).
 */
public final class OutboxStore implements CallJournal {

    /** A stored command. */
    public record Entry(long id, CallKey call, int seq, CrmCommand command, String state, int attempts,
                        Instant nextAt, String lastError, Instant createdAt) {
    }

    private final Database db;
    private final ObjectMapper mapper;
    /** Next SEQ per open call: known once read or written, so appends need no extra query. */
    private final Map<CallKey, Integer> nextSeq = new HashMap<>();
    /** Ids of new OUTBOX rows (see {@link IdSequence}: not Derby's identity generator). */
    private final IdSequence commandIds = new IdSequence("OUTBOX");
    private final OperatorRatingsStore ratings;
    private final List<java.util.function.Consumer<List<CallKey>>> onRecord =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public OutboxStore(Database db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
        this.ratings = new OperatorRatingsStore(db);
    }

    /** The callers' ratings, written with the call changes that carry them. */
    public OperatorRatingsStore ratings() {
        return ratings;
    }

    /** Told, after every committed {@link #record}, which calls have new commands: the dispatcher's wake-up. */
    public void afterRecord(java.util.function.Consumer<List<CallKey>> listener) {
        onRecord.add(listener);
    }

    @Override
    public void record(List<CrmLifecycle.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Map<CallKey, Integer> seqs = new HashMap<>();
        db.inTransaction(c -> {
            Instant now = Instant.now();
            for (CrmLifecycle.Change ch : changes) {
                int seq = upsertCall(c, ch, now);
                for (CrmCommand cmd : ch.commands()) {
                    insertCommand(c, cmd, seq++, now);
                }
                for (CrmLifecycle.Rating r : ch.ratings()) {
                    ratings.insert(c, r);
                }
                seqs.put(ch.call(), seq);
                finishCall(c, ch);
            }
            return null;
        });
        synchronized (nextSeq) {
            nextSeq.putAll(seqs);
            for (CrmLifecycle.Change ch : changes) {
                if (ch.ended()) {
                    nextSeq.remove(ch.call());
                }
            }
        }
        List<CallKey> withCommands = changes.stream().filter(ch -> !ch.commands().isEmpty())
                .map(CrmLifecycle.Change::call).toList();
        if (!withCommands.isEmpty()) {
            onRecord.forEach(l -> l.accept(withCommands));
        }
    }

    private int upsertCall(Connection c, CrmLifecycle.Change ch, Instant now) throws SQLException {
        String key = ch.call().externalCallId();
        String state = json(ch.state());
        Integer known;
        synchronized (nextSeq) {
            known = nextSeq.get(ch.call());
        }
        if (known == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT NEXT_SEQ FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        known = rs.getInt(1);
                    }
                }
            }
        }
        if (known == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CRM_CALLS (CALL_KEY, STATE, NEXT_SEQ, ENDED, "
                    + "CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 0, ?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, state);
                ps.setInt(3, ch.commands().size());
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE CRM_CALLS SET STATE = ?, NEXT_SEQ = ?, UPDATED_AT = ? WHERE CALL_KEY = ?")) {
            ps.setString(1, state);
            ps.setInt(2, known + ch.commands().size());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, key);
            ps.executeUpdate();
        }
        return known;
    }

    private static void finishCall(Connection c, CrmLifecycle.Change ch) throws SQLException {
        if (ch.ended()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE CRM_CALLS SET ENDED = 1 WHERE CALL_KEY = ?")) {
                ps.setString(1, ch.call().externalCallId());
                ps.executeUpdate();
            }
        }
    }

    private void insertCommand(Connection c, CrmCommand cmd, int seq, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO OUTBOX (CALL_KEY, SEQ, KIND, PAYLOAD, STATE, "
                + "ATTEMPTS, NEXT_AT, CREATED_AT, ID) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)")) {
            ps.setString(1, cmd.call().externalCallId());
            ps.setInt(2, seq);
            ps.setString(3, CrmCommand.kind(cmd));
            ps.setString(4, json(cmd));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setLong(7, commandIds.next(c));
            ps.executeUpdate();
        }
    }

    @Override
    public List<CallCrmState> openCalls() {
        return db.inTransaction(c -> {
            List<CallCrmState> open = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, STATE, NEXT_SEQ FROM CRM_CALLS WHERE ENDED = 0");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CallCrmState s = read(rs.getString(2), CallCrmState.class);
                    open.add(s);
                    synchronized (nextSeq) {
                        nextSeq.put(s.call(), rs.getInt(3));
                    }
                }
            }
            return open;
        });
    }

    /** Calls with a command due now (pending, or left SENDING by a crash), oldest first. */
    public List<CallKey> readyCalls(Instant now, int limit) {
        return db.inTransaction(c -> {
            List<CallKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, MIN(ID) FROM OUTBOX "
                    + "WHERE STATE IN ('PENDING', 'SENDING') AND NEXT_AT <= ? GROUP BY CALL_KEY ORDER BY 2")) {
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

    /** The call's first command not done (pending, sending or dead), if any. */
    public Optional<Entry> head(CallKey call) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ID, SEQ, KIND, PAYLOAD, STATE, ATTEMPTS, NEXT_AT, "
                    + "LAST_ERROR, CREATED_AT FROM OUTBOX WHERE CALL_KEY = ? AND STATE <> 'DONE' ORDER BY SEQ "
                    + "FETCH FIRST 1 ROW ONLY")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(call, rs)) : Optional.<Entry>empty();
                }
            }
        });
    }

    /** The box's CALL_ID of a call, once register returned it. */
    public Optional<String> bitrixCallId(CallKey call) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT BITRIX_CALL_ID FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** The CRM entity register bound a call to (CONTACT/COMPANY/LEAD and its id), once register returned it. */
    public record CrmEntity(String type, int id) {
    }

    public Optional<CrmEntity> crmEntity(CallKey call) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT CRM_ENTITY_TYPE, CRM_ENTITY_ID FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        return Optional.of(new CrmEntity(rs.getString(1), rs.getInt(2)));
                    }
                    return Optional.<CrmEntity>empty();
                }
            }
        });
    }

    /** Marks a command as possibly sent (before a send that must not be mistaken for new after a crash). */
    public void sending(Entry e) {
        update(e.id(), "UPDATE OUTBOX SET STATE = 'SENDING', ATTEMPTS = ATTEMPTS + 1 WHERE ID = ?");
    }

    /** The command succeeded; {@code bitrixCallId} is stored when register returned it. */
    public void done(Entry e, String bitrixCallId) {
        done(e, bitrixCallId, null);
    }

    /** The command succeeded; register's CALL_ID and CRM entity are stored when it returned them. */
    public void done(Entry e, String bitrixCallId, CrmEntity entity) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE OUTBOX SET STATE = 'DONE', DONE_AT = ?, LAST_ERROR = NULL WHERE ID = ?")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setLong(2, e.id());
                ps.executeUpdate();
            }
            if (bitrixCallId != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE CRM_CALLS SET BITRIX_CALL_ID = ? WHERE CALL_KEY = ?")) {
                    ps.setString(1, bitrixCallId);
                    ps.setString(2, e.call().externalCallId());
                    ps.executeUpdate();
                }
            }
            if (entity != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE CRM_CALLS SET CRM_ENTITY_TYPE = ?, CRM_ENTITY_ID = ? WHERE CALL_KEY = ?")) {
                    ps.setString(1, entity.type());
                    ps.setInt(2, entity.id());
                    ps.setString(3, e.call().externalCallId());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The command failed for now: due again at {@code nextAt}. */
    public void retryAt(Entry e, Instant nextAt, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE OUTBOX SET STATE = CASE WHEN STATE = 'SENDING' "
                    + "THEN 'SENDING' ELSE 'PENDING' END, ATTEMPTS = ATTEMPTS + 1, NEXT_AT = ?, LAST_ERROR = ? "
                    + "WHERE ID = ?")) {
                ps.setTimestamp(1, Timestamp.from(nextAt));
                ps.setString(2, truncate(error));
                ps.setLong(3, e.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The command failed for good: a dead letter, shown in /health and the API; the call's later commands wait. */
    public void dead(Entry e, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE OUTBOX SET STATE = 'DEAD', ATTEMPTS = ATTEMPTS + 1, LAST_ERROR = ? WHERE ID = ?")) {
                ps.setString(1, truncate(error));
                ps.setLong(2, e.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The box is back: every command waiting out a retry pause is due now. */
    public int dueNow() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE OUTBOX SET NEXT_AT = ? "
                    + "WHERE STATE IN ('PENDING', 'SENDING') AND NEXT_AT > ?")) {
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE OUTBOX SET STATE = 'PENDING', NEXT_AT = ? "
                    + "WHERE ID = ? AND STATE = 'DEAD'")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public List<Entry> deadLetters(int limit) {
        return db.inTransaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ID, SEQ, KIND, PAYLOAD, STATE, ATTEMPTS, NEXT_AT, "
                    + "LAST_ERROR, CREATED_AT, CALL_KEY FROM OUTBOX WHERE STATE = 'DEAD' ORDER BY ID")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(CallKey.parse(rs.getString(10)), rs));
                    }
                }
            }
            return out;
        });
    }

    /** Counts per state, and the age of the oldest command not done. */
    public record Counts(long pending, long sending, long dead, long done, Instant oldestWaiting) {
    }

    public Counts counts() {
        return db.inTransaction(c -> {
            long pending = 0;
            long sending = 0;
            long dead = 0;
            long done = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT STATE, COUNT(*) FROM OUTBOX GROUP BY STATE");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "PENDING" -> pending = rs.getLong(2);
                        case "SENDING" -> sending = rs.getLong(2);
                        case "DEAD" -> dead = rs.getLong(2);
                        default -> done = rs.getLong(2);
                    }
                }
            }
            Instant oldest = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MIN(CREATED_AT) FROM OUTBOX WHERE STATE IN ('PENDING', 'SENDING')");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    oldest = rs.getTimestamp(1).toInstant();
                }
            }
            return new Counts(pending, sending, dead, done, oldest);
        });
    }

    private void update(long id, String sql) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private Entry entry(CallKey call, ResultSet rs) throws SQLException {
        CrmCommand cmd = read(rs.getString(4), CrmCommand.type(rs.getString(3)));
        return new Entry(rs.getLong(1), call, rs.getInt(2), cmd, rs.getString(5), rs.getInt(6),
                rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getTimestamp(9).toInstant());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }
}
