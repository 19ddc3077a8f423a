package io.b24bridge.bitrix.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.bitrix.auth.TokenCipher;
import io.b24bridge.config.Secret;
import io.b24bridge.store.Database;

/**
 * The durable inbox of the box's events ({@code BOX_EVENTS}, its one owner): every event is stored here before it
 * is answered (the cloud queue's POST) or acknowledged (the b24bridge module's queue), once per dedupe key, and
 * handled from here ({@link InboxHandler}). What an event brings as secrets — the application's tokens in an
 * install — is kept encrypted apart from its payload; the tokens of other events (the clicking user's) are not kept
 * at all: they are never used.
 */
public final class EventInbox {

    /** Keys of {@code auth[...]} that are secrets: never stored in the payload. */
    static final Set<String> SECRET_KEYS = Set.of("access_token", "refresh_token", "application_token");
    private static final String SECRETS_COLUMN = "BOX_EVENTS.SECRETS";

    /** What arrived: the dedupe key, where from ({@code cloud}, {@code module}), the name and the decoded form. */
    public record Incoming(String dedupeKey, String source, String name, Map<String, Object> form) {
    }

    /** The row an event is stored in, and whether this store made it (false: the event was there already). */
    public record Stored(long id, boolean fresh) {
    }

    /** What the inbox holds, for /health. */
    public record Counts(int pending, int dead, int handled, Instant lastReceived) {
    }

    private final Database db;
    private final TokenCipher cipher;
    private final ObjectMapper mapper;
    private final Clock clock;
    private long lastId = -1;

    public EventInbox(Database db, TokenCipher cipher, ObjectMapper mapper, Clock clock) {
        this.db = db;
        this.cipher = cipher;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Stores the event unless its dedupe key is known; committed when this returns. Only then may the box be answered
     * or the module's queue acknowledged.
     */
    public synchronized Stored store(Incoming e) {
        Map<String, Object> payload = new LinkedHashMap<>(e.form());
        Map<String, String> secrets = new LinkedHashMap<>();
        if (payload.get("auth") instanceof Map<?, ?> auth) {
            Map<String, Object> kept = new LinkedHashMap<>();
            auth.forEach((k, v) -> {
                if (SECRET_KEYS.contains(String.valueOf(k))) {
                    if (v instanceof String s && BoxEvent.APP_INSTALL.equals(e.name())) {
                        secrets.put(String.valueOf(k), s); // the application's own tokens, for the install listener
                    }
                } else {
                    kept.put(String.valueOf(k), v);
                }
            });
            payload.put("auth", kept);
        }
        String json = write(payload);
        String sealed = secrets.isEmpty() ? null : cipher.encrypt(Secret.of(write(secrets)), SECRETS_COLUMN);
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ID FROM BOX_EVENTS WHERE DEDUPE_KEY = ?")) {
                ps.setString(1, e.dedupeKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Stored(rs.getLong(1), false);
                    }
                }
            }
            long id = nextId(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO BOX_EVENTS (ID, DEDUPE_KEY, SOURCE, EVENT, "
                    + "PAYLOAD, SECRETS, STATE, ATTEMPTS, NEXT_AT, RECEIVED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, e.dedupeKey());
                ps.setString(3, e.source());
                ps.setString(4, e.name());
                ps.setString(5, json);
                ps.setString(6, sealed);
                ps.setString(7, "PENDING");
                ps.setTimestamp(8, Timestamp.from(now));
                ps.setTimestamp(9, Timestamp.from(now));
                ps.executeUpdate();
            }
            lastId = id;
            return new Stored(id, true);
        });
    }

    /** Ids of new rows: the largest stored, read once, counted up (this class is the table's one writer). */
    private long nextId(Connection c) throws SQLException {
        if (lastId < 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(ID), 0) FROM BOX_EVENTS");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                lastId = rs.getLong(1);
            }
        }
        return lastId + 1;
    }

    /** Events due for handling now, in the order they were received. */
    List<BoxEvent> due(int limit) {
        return db.inTransaction(c -> {
            List<BoxEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ID, SOURCE, EVENT, PAYLOAD, RECEIVED_AT, ATTEMPTS "
                    + "FROM BOX_EVENTS WHERE STATE = 'PENDING' AND NEXT_AT <= ? ORDER BY ID")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                }
            }
            return out;
        });
    }

    /** A stored event by its id (tests, the admin API). */
    public Optional<BoxEvent> find(long id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ID, SOURCE, EVENT, PAYLOAD, RECEIVED_AT, ATTEMPTS "
                    + "FROM BOX_EVENTS WHERE ID = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(event(rs)) : Optional.<BoxEvent>empty();
                }
            }
        });
    }

    /** The event's {@code auth[...]} as stored: its text values, without the secrets. */
    Map<String, String> auth(long id) {
        String json = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT PAYLOAD FROM BOX_EVENTS WHERE ID = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        Map<String, String> out = new LinkedHashMap<>();
        if (json != null && readObject(json).get("auth") instanceof Map<?, ?> auth) {
            auth.forEach((k, v) -> {
                if (v instanceof String s) {
                    out.put(String.valueOf(k), s);
                }
            });
        }
        return out;
    }

    /** The secrets the event brought (the install's tokens), decrypted; empty for any other event. */
    Map<String, Secret> secrets(long id) {
        String sealed = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT SECRETS FROM BOX_EVENTS WHERE ID = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (sealed == null) {
            return Map.of();
        }
        Map<String, String> plain = read(cipher.decrypt(sealed, SECRETS_COLUMN).revealString());
        Map<String, Secret> out = new LinkedHashMap<>();
        plain.forEach((k, v) -> out.put(k, Secret.of(v)));
        return out;
    }

    void handled(long id) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE BOX_EVENTS SET STATE = 'HANDLED', HANDLED_AT = ?, LAST_ERROR = NULL WHERE ID = ?")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** A listener failed: the event is due again at {@code at}. */
    void retryAt(long id, Instant at, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE BOX_EVENTS SET ATTEMPTS = ATTEMPTS + 1, NEXT_AT = ?, LAST_ERROR = ? WHERE ID = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, truncate(error));
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Its listeners failed for good: set aside, shown in /health. */
    void dead(long id, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE BOX_EVENTS SET STATE = 'DEAD', ATTEMPTS = ATTEMPTS + 1, LAST_ERROR = ? WHERE ID = ?")) {
                ps.setString(1, truncate(error));
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    /** Forgets events handled before {@code before}: their dedupe keys are no longer needed (nothing repeats so late). */
    int purgeHandled(Instant before) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM BOX_EVENTS WHERE STATE = 'HANDLED' AND HANDLED_AT < ?")) {
                ps.setTimestamp(1, Timestamp.from(before));
                return ps.executeUpdate();
            }
        });
    }

    public Counts counts() {
        return db.inTransaction(c -> {
            int pending = 0;
            int dead = 0;
            int handled = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT STATE, COUNT(*) FROM BOX_EVENTS GROUP BY STATE");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "PENDING" -> pending = rs.getInt(2);
                        case "DEAD" -> dead = rs.getInt(2);
                        default -> handled = rs.getInt(2);
                    }
                }
            }
            Instant last = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(RECEIVED_AT) FROM BOX_EVENTS");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    last = rs.getTimestamp(1).toInstant();
                }
            }
            return new Counts(pending, dead, handled, last);
        });
    }

    private BoxEvent event(ResultSet rs) throws SQLException {
        Map<String, Object> payload = readObject(rs.getString(4));
        Map<String, String> data = new LinkedHashMap<>();
        if (payload.get("data") instanceof Map<?, ?> d) {
            d.forEach((k, v) -> {
                if (v instanceof String s) {
                    data.put(String.valueOf(k), s);
                }
            });
        }
        return new BoxEvent(rs.getLong(1), rs.getString(2), rs.getString(3), Map.copyOf(data),
                rs.getTimestamp(5).toInstant(), rs.getInt(6) + 1);
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event cannot be written as JSON", e);
        }
    }

    private Map<String, String> read(String json) {
        try {
            return mapper.readValue(json, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event's secrets cannot be read", e);
        }
    }

    private Map<String, Object> readObject(String json) {
        try {
            return mapper.readValue(json, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event cannot be read", e);
        }
    }
}
