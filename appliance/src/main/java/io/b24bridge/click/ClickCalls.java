package io.b24bridge.click;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import io.b24bridge.store.Database;

/**
 * The clicks acted on, one row per CALL_ID ({@code CLICK_CALLS}, its one owner): claimed before the Originate is sent,
 * so a click delivered twice rings the operator once, whatever inbox row it came in.
 */
public final class ClickCalls {

    /** What became of a click. */
    public enum State { ORIGINATING, RINGING_CLIENT, NOT_TAKEN, FAILED }

    private final Database db;

    public ClickCalls(Database db) {
        this.db = db;
    }

    /** Claims the click; false when this CALL_ID was claimed before (a repeat). */
    public boolean claim(ClickRequest r, String extension, Instant at) {
        return db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM CLICK_CALLS WHERE CALL_ID = ?")) {
                q.setString(1, r.callId());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CLICK_CALLS (CALL_ID, USER_ID, PHONE, EXTENSION, "
                    + "STATE, RECEIVED_AT, UPDATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.callId());
                ps.setInt(2, r.userId());
                ps.setString(3, r.number());
                ps.setString(4, extension);
                ps.setString(5, State.ORIGINATING.name());
                ps.setTimestamp(6, Timestamp.from(at));
                ps.setTimestamp(7, Timestamp.from(at));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false; // claimed meanwhile
                }
                throw e;
            }
        });
    }

    /** Records what the Originate came to. */
    public void settle(String callId, State state, String detail, Instant at) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE CLICK_CALLS SET STATE = ?, DETAIL = ?, UPDATED_AT = ? WHERE CALL_ID = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) : detail);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.setString(4, callId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The state of a click, if it was claimed. */
    public Optional<State> state(String callId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT STATE FROM CLICK_CALLS WHERE CALL_ID = ?")) {
                ps.setString(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(State.valueOf(rs.getString(1))) : Optional.<State>empty();
                }
            }
        });
    }
}
