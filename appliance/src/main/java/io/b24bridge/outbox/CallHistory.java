package io.b24bridge.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.store.Database;

/**
 * The call journal read back for people: each call the CRM heard of, newest first, with what its finish said (talk
 * time, status) and what reached the CRM when (each command, its state and when it was done). Read-only: the
 * journal's rows are written by {@link CallJournalStore} alone.
 */
public final class CallHistory {

    /** A command of the call as the outbox holds it: its kind, its state, when the box took it. */
    public record Delivery(String kind, String state, Instant doneAt) {
    }

    /**
     * One call.
     *
     * @param state       what the lifecycle knows of the call
     * @param talkSeconds the finish's talk time, null while the call is not finished
     * @param statusCode  the finish's STATUS_CODE (200 talked, 304 missed, …), null while not finished
     * @param bitrixCallId the box's CALL_ID, once registered
     * @param client       the CRM entity the register bound the call to (the client), once known, else null
     */
    public record Entry(CallCrmState state, Integer talkSeconds, String statusCode, String bitrixCallId,
                        CrmEntity client, List<Delivery> deliveries) {
    }

    private final Database db;
    private final StoredJson json;

    CallHistory(Database db, StoredJson json) {
        this.db = db;
        this.json = json;
    }

    /** What the lifecycle knows of one call (its external call id, {@code pbx1:1700000000.1}), if it is kept. */
    public Optional<CallCrmState> call(String callKey) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT STATE FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, callKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(json.read(rs.getString(1), StoredCallState.class).toDomain())
                            : Optional.<CallCrmState>empty();
                }
            }
        });
    }

    /** Calls first heard of in {@code [since, until)}, newest first, at most {@code limit}. */
    public List<Entry> between(Instant since, Instant until, int limit) {
        return db.inTransaction(c -> {
            Map<String, Object[]> calls = new LinkedHashMap<>(); // key -> {state, callId, entity}
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, STATE, BITRIX_CALL_ID, CRM_ENTITY_TYPE, "
                    + "CRM_ENTITY_ID FROM CRM_CALLS "
                    + "WHERE CREATED_AT >= ? AND CREATED_AT < ? ORDER BY CREATED_AT DESC FETCH FIRST ? ROWS ONLY")) {
                ps.setTimestamp(1, Timestamp.from(since));
                ps.setTimestamp(2, Timestamp.from(until));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(4);
                        int id = rs.getInt(5);
                        calls.put(rs.getString(1), new Object[] {
                                json.read(rs.getString(2), StoredCallState.class).toDomain(), rs.getString(3),
                                type == null || id <= 0 ? null : new CrmEntity(type, id)});
                    }
                }
            }
            Map<String, List<Delivery>> deliveries = new LinkedHashMap<>();
            Map<String, StoredCommand.Finish> finishes = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.CALL_KEY, o.KIND, o.STATE, o.DONE_AT, o.PAYLOAD "
                    + "FROM OUTBOX o JOIN CRM_CALLS k ON o.CALL_KEY = k.CALL_KEY "
                    + "WHERE k.CREATED_AT >= ? AND k.CREATED_AT < ? ORDER BY o.CALL_KEY, o.SEQ")) {
                ps.setTimestamp(1, Timestamp.from(since));
                ps.setTimestamp(2, Timestamp.from(until));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        if (!calls.containsKey(key)) {
                            continue; // beyond the limit
                        }
                        Timestamp done = rs.getTimestamp(4);
                        deliveries.computeIfAbsent(key, k -> new ArrayList<>()).add(new Delivery(rs.getString(2),
                                rs.getString(3), done == null ? null : done.toInstant()));
                        if ("FINISH".equals(rs.getString(2))) {
                            finishes.put(key, json.read(rs.getString(5), StoredCommand.Finish.class));
                        }
                    }
                }
            }
            List<Entry> out = new ArrayList<>();
            calls.forEach((key, row) -> {
                StoredCommand.Finish f = finishes.get(key);
                out.add(new Entry((CallCrmState) row[0], f == null ? null : f.talkSeconds(),
                        f == null ? null : f.statusCode(), (String) row[1], (CrmEntity) row[2],
                        deliveries.getOrDefault(key, List.of())));
            });
            return out;
        });
    }
}
