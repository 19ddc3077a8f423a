package io.b24bridge.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.b24bridge.calls.CallKey;
import io.b24bridge.store.Database;

/**
 * The calls that may be in the CRM twice ({@code REGISTERS_AT_RISK}, its one owner): a register whose answer was
 * lost, repeated after the box's 30-minute window had closed, on a box that cannot say whether the first one arrived
 * (no b24bridge module). Named in /health and the log; an operator checks the CRM for a second call of that number
 * at that time and dismisses the entry.
 */
public final class RegisterRisks {

    /**
     * One call at risk.
     *
     * @param callId the CALL_ID the repeated register got (the first one's, if any, is unknown)
     */
    public record Risk(CallKey call, String clientNumber, Instant startedAt, String callId, Instant notedAt) {
    }

    private final Database db;

    RegisterRisks(Database db) {
        this.db = db;
    }

    void note(Risk r) {
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM REGISTERS_AT_RISK WHERE CALL_KEY = ?")) {
                del.setString(1, r.call().externalCallId());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO REGISTERS_AT_RISK (CALL_KEY, CLIENT_NUMBER, "
                    + "STARTED_AT, CALL_ID, NOTED_AT) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, r.call().externalCallId());
                ps.setString(2, r.clientNumber());
                ps.setTimestamp(3, Timestamp.from(r.startedAt()));
                ps.setString(4, r.callId());
                ps.setTimestamp(5, Timestamp.from(r.notedAt()));
                return ps.executeUpdate();
            }
        });
    }

    /** The calls at risk, newest first (at most {@code limit}). */
    public List<Risk> list(int limit) {
        return db.inTransaction(c -> {
            List<Risk> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, CLIENT_NUMBER, STARTED_AT, CALL_ID, "
                    + "NOTED_AT FROM REGISTERS_AT_RISK ORDER BY NOTED_AT DESC")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Risk(CallKey.parse(rs.getString(1)), rs.getString(2),
                                rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** An operator checked the CRM: the call is no longer named. False when it was not at risk. */
    public boolean dismiss(CallKey call) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM REGISTERS_AT_RISK WHERE CALL_KEY = ?")) {
                ps.setString(1, call.externalCallId());
                return ps.executeUpdate() == 1;
            }
        });
    }
}
