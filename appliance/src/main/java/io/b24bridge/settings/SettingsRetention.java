package io.b24bridge.settings;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;

import io.b24bridge.store.Database;

/**
 * Removes settings versions older than a cut-off from the history; the versions in force always stay, and so does
 * each section's newest value before the cut-off: every version from the cut-off on is still rebuilt whole (a
 * section changed two years ago and again today had, at each version in between, its old value, not the default)
 * and can be viewed and restored in the panel. The oldest version so kept whole is noted as the history's horizon.
 */
public final class SettingsRetention {

    private SettingsRetention() {
    }

    /** @return how many earlier section versions were removed */
    public static int prune(Database db, Instant cutoff) {
        return db.inTransaction(c -> {
            int removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM SETTINGS_HISTORY WHERE VERSION IN "
                    + "(SELECT VERSION FROM SETTINGS_CHANGE WHERE CHANGED_AT < ?) AND NOT EXISTS (SELECT 1 FROM "
                    + "SETTINGS_SECTION s WHERE s.NAME = SETTINGS_HISTORY.NAME AND s.VERSION = SETTINGS_HISTORY.VERSION) "
                    + "AND EXISTS (SELECT 1 FROM SETTINGS_HISTORY n JOIN SETTINGS_CHANGE nc ON nc.VERSION = n.VERSION "
                    + "WHERE n.NAME = SETTINGS_HISTORY.NAME AND n.VERSION > SETTINGS_HISTORY.VERSION AND nc.CHANGED_AT < ?)")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                ps.setTimestamp(2, Timestamp.from(cutoff));
                removed = ps.executeUpdate();
            }
            if (removed > 0) { // versions before the newest one older than the cut-off lost values they need
                long horizon;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COALESCE(MAX(VERSION), 0) FROM SETTINGS_CHANGE WHERE CHANGED_AT < ?")) {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        horizon = rs.getLong(1);
                    }
                }
                boolean noted;
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM SETTINGS_HISTORY_HORIZON WHERE ID = 1");
                     ResultSet rs = ps.executeQuery()) {
                    noted = rs.next();
                }
                try (PreparedStatement ps = c.prepareStatement(noted
                        ? "UPDATE SETTINGS_HISTORY_HORIZON SET FROM_VERSION = ? WHERE ID = 1 AND FROM_VERSION < ?"
                        : "INSERT INTO SETTINGS_HISTORY_HORIZON (FROM_VERSION, ID) VALUES (?, 1)")) {
                    ps.setLong(1, horizon);
                    if (noted) {
                        ps.setLong(2, horizon);
                    }
                    ps.executeUpdate();
                }
            }
            // a change whose section versions are all gone says nothing any more
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM SETTINGS_CHANGE WHERE CHANGED_AT < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM SETTINGS_SECTION s WHERE s.VERSION = SETTINGS_CHANGE.VERSION) "
                    + "AND NOT EXISTS (SELECT 1 FROM SETTINGS_HISTORY h WHERE h.VERSION = SETTINGS_CHANGE.VERSION)")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                ps.executeUpdate();
            }
            return removed;
        });
    }
}
