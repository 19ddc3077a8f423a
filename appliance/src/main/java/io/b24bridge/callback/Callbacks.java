package io.b24bridge.callback;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.b24bridge.store.Database;

/**
 * The callbacks acted on ({@code CALLBACKS}, its one owner): a form request is claimed before anything rings or any task
 * is set, so the same request delivered twice — by both event paths, or by the box again — is one callback. A
 * redelivery of the same inbox row (the handler failed half-way) continues the claimed callback.
 */
public final class Callbacks {

    /** The same form's request again within this is the same request (the box and the cloud repeat within seconds). */
    static final Duration REPEAT_WINDOW = Duration.ofHours(1);

    /** What became of a callback. */
    public enum State {
        /** claimed; nothing rang yet */
        TAKEN,
        /** registered in the CRM; an attempt rings or the next waits its interval */
        CALLING,
        /** an operator answered: the client is dialled and the call spine finishes the CRM call */
        ANSWERED,
        /** nobody answered after the retries: finished in the CRM as a missed callback */
        MISSED,
        /** outside working hours: a task for the first working hour instead of a call */
        TASK,
        /** could not be acted on (no one to ring or to give the task to, the PBX refused) */
        FAILED
    }

    /** One callback as stored. */
    public record Row(long id, long inboxId, CallbackRequest request, State state, int attempts, String callId,
                      Integer userId) {
    }

    private final Database db;

    public Callbacks(Database db) {
        this.db = db;
    }

    /**
     * Claims the request of inbox row {@code inboxId}: a new callback, or the one this inbox row claimed before (a
     * redelivery continues it); empty when another delivery of the same form claimed it (a repeat).
     */
    public Optional<Row> claim(CallbackRequest r, long inboxId, Instant at) {
        return db.inTransaction(c -> {
            Optional<Row> mine = byInbox(c, inboxId);
            if (mine.isPresent()) {
                return mine;
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT 1 FROM CALLBACKS WHERE FORM_KEY = ? AND RECEIVED_AT > ?")) {
                q.setString(1, r.formKey());
                q.setTimestamp(2, Timestamp.from(at.minus(REPEAT_WINDOW)));
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return Optional.<Row>empty();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CALLBACKS (FORM_KEY, INBOX_ID, PHONE, "
                    + "ENTITY_TYPE, ENTITY_ID, LINE_NUMBER, TEXT_SAID, STATE, RECEIVED_AT, UPDATED_AT) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, r.formKey());
                ps.setLong(2, inboxId);
                ps.setString(3, r.crmNumber());
                ps.setString(4, r.entityType());
                if (r.entityId() == null) {
                    ps.setNull(5, Types.INTEGER);
                } else {
                    ps.setInt(5, r.entityId());
                }
                ps.setString(6, r.lineNumber());
                ps.setString(7, r.text());
                ps.setString(8, State.TAKEN.name());
                ps.setTimestamp(9, Timestamp.from(at));
                ps.setTimestamp(10, Timestamp.from(at));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return Optional.of(new Row(keys.getLong(1), inboxId, r, State.TAKEN, 0, null, null));
                }
            }
        });
    }

    /** The CRM call the callback was registered under, and its user. */
    public void registered(long id, String callId, int userId, Instant at) {
        update(id, "STATE = 'CALLING', CALL_ID = ?, USER_ID = ?, UPDATED_AT = ?", ps -> {
            ps.setString(1, callId);
            ps.setInt(2, userId);
            ps.setTimestamp(3, Timestamp.from(at));
        });
    }

    /** Another attempt rings. */
    public void attempted(long id, int attempts, Instant at) {
        update(id, "ATTEMPTS = ?, UPDATED_AT = ?", ps -> {
            ps.setInt(1, attempts);
            ps.setTimestamp(2, Timestamp.from(at));
        });
    }

    /** What the callback came to. */
    public void settle(long id, State state, String detail, Integer taskId, Instant at) {
        update(id, "STATE = ?, DETAIL = ?, TASK_ID = ?, UPDATED_AT = ?", ps -> {
            ps.setString(1, state.name());
            ps.setString(2, detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) : detail);
            if (taskId == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, taskId);
            }
            ps.setTimestamp(4, Timestamp.from(at));
        });
    }

    /** A callback by its id. */
    public Optional<Row> row(long id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE ID = ?")) {
                ps.setLong(1, id);
                return one(ps);
            }
        });
    }

    /** The callbacks under way (registered, an attempt ringing or waiting) when the appliance last stopped. */
    public List<Row> underWay() {
        return db.inTransaction(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE STATE = 'CALLING' ORDER BY ID")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            }
            return out;
        });
    }

    private static final String SELECT = "SELECT ID, INBOX_ID, PHONE, TEXT_SAID, ENTITY_TYPE, ENTITY_ID, LINE_NUMBER, "
            + "STATE, ATTEMPTS, CALL_ID, USER_ID FROM CALLBACKS";

    private static Optional<Row> byInbox(java.sql.Connection c, long inboxId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE INBOX_ID = ?")) {
            ps.setLong(1, inboxId);
            return one(ps);
        }
    }

    private static Optional<Row> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        int entityId = rs.getInt(6);
        Integer entity = rs.wasNull() ? null : entityId;
        int userId = rs.getInt(11);
        Integer user = rs.wasNull() ? null : userId;
        String phone = rs.getString(3);
        CallbackRequest r = new CallbackRequest(phone.replace("+", ""), phone, rs.getString(4), rs.getString(5), entity,
                rs.getString(7) == null ? "" : rs.getString(7));
        return new Row(rs.getLong(1), rs.getLong(2), r, State.valueOf(rs.getString(8)), rs.getInt(9),
                rs.getString(10), user);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(long id, String set, Binder binder) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE CALLBACKS SET " + set + " WHERE ID = ?")) {
                binder.bind(ps);
                ps.setLong(ps.getParameterMetaData().getParameterCount(), id);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
