package io.b24bridge.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.b24bridge.store.Database;

/**
 * Owner of {@code MISSED_CALL_TASKS}, {@code MISSED_CALL_TRIES} and {@code CALLERS_REACHED} (V012): each
 * missed-call task the appliance made or is making, the missed calls counted in it, and when each caller was last
 * reached. Each change is one Derby transaction.
 */
final class MissedCallTaskStore {

    /** A task's life as the appliance sees it. */
    enum State {
        /** counting further misses of the caller within the window */
        OPEN,
        /** the caller was reached and the task annotated: it stays open on the box, the appliance stops counting */
        ANNOTATED,
        /** completed on the box because the caller was reached (or being completed: {@code closing}) */
        CLOSED,
        /** the caller was reached before the task could be made (the box was away): none is made */
        CANCELLED
    }

    /**
     * One task.
     *
     * @param key      the appliance's key of the task, written into it as a mark
     * @param caller   the caller's number, digits only (what the window is kept per)
     * @param addTried tasks.task.add has been sent at least once (its answer may have been lost)
     * @param taskId   the box's id once known
     */
    record Row(String key, String caller, String clientNumber, String entityType, int entityId, String templateId,
               String did, int responsibleId, Instant firstAt, Instant lastAt, int tries, int lastWait, State state,
               boolean addTried, Integer taskId, String reachedNote) {
    }

    private static final String COLUMNS = "TASK_KEY, CALLER, CLIENT_NUMBER, ENTITY_TYPE, ENTITY_ID, TEMPLATE_ID, DID, "
            + "RESPONSIBLE_ID, FIRST_AT, LAST_AT, TRIES, LAST_WAIT, STATE, ADD_TRIED, TASK_ID, REACHED_NOTE";

    private final Database db;

    MissedCallTaskStore(Database db) {
        this.db = db;
    }

    /** The task a missed call was counted in, if it was. */
    Optional<Row> ofCall(String callKey) {
        return db.inTransaction(c -> one(c, "SELECT " + prefixed() + " FROM MISSED_CALL_TASKS t JOIN MISSED_CALL_TRIES r "
                + "ON r.TASK_KEY = t.TASK_KEY WHERE r.CALL_KEY = ?", callKey));
    }

    Optional<Row> get(String key) {
        return db.inTransaction(c -> one(c, "SELECT " + COLUMNS + " FROM MISSED_CALL_TASKS WHERE TASK_KEY = ?", key));
    }

    /** The caller's task still counting misses that began at or after {@code since}. */
    Optional<Row> openSince(String caller, Instant since) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM MISSED_CALL_TASKS "
                    + "WHERE CALLER = ? AND STATE = 'OPEN' AND FIRST_AT >= ? ORDER BY FIRST_AT DESC")) {
                ps.setString(1, caller);
                ps.setTimestamp(2, Timestamp.from(since));
                return first(ps);
            }
        });
    }

    /** The caller's tasks the appliance still counts in (any age): what a reached caller closes. */
    List<Row> open(String caller) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM MISSED_CALL_TASKS "
                    + "WHERE CALLER = ? AND STATE = 'OPEN'")) {
                ps.setString(1, caller);
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
                return rows;
            }
        });
    }

    /** A new task, counting its first missed call. */
    void create(Row r, String callKey) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO MISSED_CALL_TASKS (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL)")) {
                ps.setString(1, r.key());
                ps.setString(2, r.caller());
                ps.setString(3, r.clientNumber());
                ps.setString(4, r.entityType());
                ps.setInt(5, r.entityId());
                ps.setString(6, r.templateId());
                ps.setString(7, r.did());
                ps.setInt(8, r.responsibleId());
                ps.setTimestamp(9, Timestamp.from(r.firstAt()));
                ps.setTimestamp(10, Timestamp.from(r.lastAt()));
                ps.setInt(11, r.tries());
                ps.setInt(12, r.lastWait());
                ps.setString(13, r.state().name());
                ps.executeUpdate();
            }
            tried(c, callKey, r.key());
            return null;
        });
    }

    /** One more missed call of the caller counted in their open task. */
    void count(String key, String callKey, Instant at, int waitSeconds) {
        db.inTransaction(c -> {
            // misses queued while the box was away go in any order (parallel per call): keep the earliest first
            // and the latest last
            try (PreparedStatement ps = c.prepareStatement("UPDATE MISSED_CALL_TASKS SET TRIES = TRIES + 1, "
                    + "LAST_AT = CASE WHEN LAST_AT < ? THEN ? ELSE LAST_AT END, "
                    + "FIRST_AT = CASE WHEN FIRST_AT > ? THEN ? ELSE FIRST_AT END, LAST_WAIT = ? WHERE TASK_KEY = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setTimestamp(3, Timestamp.from(at));
                ps.setTimestamp(4, Timestamp.from(at));
                ps.setInt(5, waitSeconds);
                ps.setString(6, key);
                ps.executeUpdate();
            }
            tried(c, callKey, key);
            return null;
        });
    }

    /** tasks.task.add is about to go: from now on its answer may be lost. */
    void addTried(String key) {
        update("UPDATE MISSED_CALL_TASKS SET ADD_TRIED = 1 WHERE TASK_KEY = ?", key);
    }

    void added(String key, int taskId) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE MISSED_CALL_TASKS SET TASK_ID = ? WHERE TASK_KEY = ?")) {
                ps.setInt(1, taskId);
                ps.setString(2, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    void state(String key, State state, String reachedNote) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE MISSED_CALL_TASKS SET STATE = ?, "
                    + "REACHED_NOTE = COALESCE(?, REACHED_NOTE) WHERE TASK_KEY = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, reachedNote);
                ps.setString(3, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The caller was reached at {@code at} (the latest moment stays). */
    void reached(String caller, Instant at) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE CALLERS_REACHED SET REACHED_AT = ? "
                    + "WHERE CALLER = ? AND REACHED_AT < ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, caller);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CALLERS_REACHED (CALLER, REACHED_AT) "
                    + "SELECT ?, ? FROM SYSIBM.SYSDUMMY1 WHERE NOT EXISTS "
                    + "(SELECT 1 FROM CALLERS_REACHED WHERE CALLER = ?)")) {
                ps.setString(1, caller);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, caller);
                ps.executeUpdate();
            }
            return null;
        });
    }

    Optional<Instant> reachedAt(String caller) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT REACHED_AT FROM CALLERS_REACHED WHERE CALLER = ?")) {
                ps.setString(1, caller);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.<Instant>empty();
                }
            }
        });
    }

    private void update(String sql, String key) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void tried(Connection c, String callKey, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO MISSED_CALL_TRIES (CALL_KEY, TASK_KEY) VALUES (?, ?)")) {
            ps.setString(1, callKey);
            ps.setString(2, key);
            ps.executeUpdate();
        }
    }

    private static String prefixed() {
        return "t." + COLUMNS.replace(", ", ", t.");
    }

    private static Optional<Row> one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            return first(ps);
        }
    }

    private static Optional<Row> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        int taskId = rs.getInt(15);
        Integer task = rs.wasNull() ? null : taskId;
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getTimestamp(9).toInstant(),
                rs.getTimestamp(10).toInstant(), rs.getInt(11), rs.getInt(12), State.valueOf(rs.getString(13)),
                rs.getInt(14) != 0, task, rs.getString(16));
    }
}
