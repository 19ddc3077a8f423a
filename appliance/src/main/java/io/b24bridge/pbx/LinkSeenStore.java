package io.b24bridge.pbx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.b24bridge.store.Database;

/**
 * When the appliance last followed each PBX, and when it first did, durably: the one owner of {@code PBX_LINKS}.
 * Written about once a second per connected PBX, read once at start.
 */
public final class LinkSeenStore implements CallSpineSink.LinkSeen {

    private final Database db;

    public LinkSeenStore(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, Instant> load() {
        return db.inTransaction(c -> {
            Map<String, Instant> seen = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT PBX_ID, SEEN_AT FROM PBX_LINKS");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
            return seen;
        });
    }

    @Override
    public Map<String, Instant> firstSeen() {
        return db.inTransaction(c -> {
            Map<String, Instant> first = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT PBX_ID, FIRST_SEEN FROM PBX_LINKS");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    first.put(rs.getString(1), t == null ? Instant.MIN : t.toInstant());
                }
            }
            return first;
        });
    }

    @Override
    public void seen(String pbx, Instant at) {
        db.inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE PBX_LINKS SET SEEN_AT = ? WHERE PBX_ID = ?")) {
                up.setTimestamp(1, Timestamp.from(at));
                up.setString(2, pbx);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement in = c.prepareStatement(
                            "INSERT INTO PBX_LINKS (PBX_ID, SEEN_AT, FIRST_SEEN) VALUES (?, ?, ?)")) {
                        in.setString(1, pbx);
                        in.setTimestamp(2, Timestamp.from(at));
                        in.setTimestamp(3, Timestamp.from(at));
                        in.executeUpdate();
                    }
                }
            }
            return null;
        });
    }
}
