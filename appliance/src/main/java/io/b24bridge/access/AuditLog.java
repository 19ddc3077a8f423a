package io.b24bridge.access;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.store.Database;

/**
 * The audit log ({@code AUDIT_LOG}, its one owner): who did what on the admin listener, and what was done to the
 * appliance from outside — every login good or bad, every settings change with what changed, every dead letter
 * retried, every backup, every account and token change, every install armed, taken or refused. Entries hold no
 * secret: never a password, token or key, only names, addresses and what changed. Readable through
 * {@code GET /api/audit}.
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    public static final int MAX_PAGE = 1000;

    /** How it ended. */
    public enum Outcome { OK, REFUSED, FAILED }

    /**
     * One entry.
     *
     * @param actor   the account, {@code local-tools}, the command line's user, or {@code ?} for an unknown caller
     * @param address the caller's address, or null (the command line)
     * @param action  what was done: {@code login}, {@code settings.put}, {@code outbox.retry}, {@code store.backup}, …
     * @param target  what it was done to (a section, an id, an account), or null
     * @param detail  what changed, as JSON (no secrets), or empty
     */
    public record Entry(long id, Instant at, String actor, Identity.Via via, String address, String action,
                        String target, Outcome outcome, Map<String, Object> detail) {
    }

    /** What {@link #query} looks for; null fields do not filter. */
    public record Filter(Instant since, Instant until, String actor, String action, Outcome outcome, Long beforeId,
                         int limit) {
    }

    private final Database db;
    private final ObjectMapper mapper;
    private long lastId = -1;

    public AuditLog(Database db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
    }

    /**
     * Writes an entry. An audit entry that cannot be written is logged as SEVERE but does not undo what it
     * describes (that has happened already).
     */
    public void record(String actor, Identity.Via via, String address, String action, String target, Outcome outcome,
                       Map<String, Object> detail) {
        String json;
        try {
            json = detail == null || detail.isEmpty() ? null : mapper.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            json = null;
        }
        String body = json;
        try {
            synchronized (this) {
                db.inTransaction(c -> {
                    if (lastId < 0) {
                        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(ID), 0) FROM AUDIT_LOG");
                             ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            lastId = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO AUDIT_LOG (ID, HAPPENED_AT, ACTOR, VIA, "
                            + "ADDRESS, ACTION, TARGET, OUTCOME, DETAIL) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setLong(1, lastId + 1);
                        ps.setTimestamp(2, Timestamp.from(Instant.now()));
                        ps.setString(3, cut(actor, 64));
                        ps.setString(4, via.name());
                        ps.setString(5, cut(address, 64));
                        ps.setString(6, cut(action, 40));
                        ps.setString(7, cut(target, 200));
                        ps.setString(8, outcome.name());
                        ps.setString(9, body);
                        ps.executeUpdate();
                    }
                    lastId++;
                    return null;
                });
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the audit entry " + action + " by " + actor + " (" + outcome + ") could not be "
                    + "stored: " + e.getMessage(), e);
        }
    }

    /** A convenience for entries about an {@link Identity}. */
    public void record(Identity who, String address, String action, String target, Outcome outcome,
                       Map<String, Object> detail) {
        record(who.name(), who.via(), address, action, target, outcome, detail);
    }

    /** Entries, newest first. */
    public List<Entry> query(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT ID, HAPPENED_AT, ACTOR, VIA, ADDRESS, ACTION, TARGET, OUTCOME, DETAIL "
                + "FROM AUDIT_LOG WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.since() != null) {
            sql.append(" AND HAPPENED_AT >= ?");
            args.add(Timestamp.from(f.since()));
        }
        if (f.until() != null) {
            sql.append(" AND HAPPENED_AT < ?");
            args.add(Timestamp.from(f.until()));
        }
        if (f.actor() != null) {
            sql.append(" AND ACTOR = ?");
            args.add(f.actor());
        }
        if (f.action() != null) {
            sql.append(" AND (ACTION = ? OR ACTION LIKE ?)"); // "settings" finds settings.put and settings.import
            args.add(f.action());
            args.add(f.action().replace("%", "").replace("_", "") + ".%");
        }
        if (f.outcome() != null) {
            sql.append(" AND OUTCOME = ?");
            args.add(f.outcome().name());
        }
        if (f.beforeId() != null) {
            sql.append(" AND ID < ?");
            args.add(f.beforeId());
        }
        sql.append(" ORDER BY ID DESC FETCH FIRST ").append(Math.max(1, Math.min(MAX_PAGE, f.limit())))
                .append(" ROWS ONLY");
        return db.inTransaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                Identity.Via.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                                rs.getString(7), Outcome.valueOf(rs.getString(8)), detail(rs.getString(9))));
                    }
                }
            }
            return out;
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> detail(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return mapper.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", true);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
