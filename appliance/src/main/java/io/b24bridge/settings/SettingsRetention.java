package io.b24bridge.settings;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

import io.b24bridge.store.Database;

/** Removes settings versions older than a cut-off from the history; the versions in force always stay. */
public final class SettingsRetention {

    private SettingsRetention() {
    }

    /** @return how many earlier section versions were removed */
    public static int prune(Database db, Instant cutoff) {
        return db.inTransaction(c -> {
            int removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM SETTINGS_HISTORY WHERE VERSION IN "
                    + "(SELECT VERSION FROM SETTINGS_CHANGE WHERE CHANGED_AT < ?) AND NOT EXISTS (SELECT 1 FROM "
                    + "SETTINGS_SECTION s WHERE s.NAME = SETTINGS_HISTORY.NAME AND s.VERSION = SETTINGS_HISTORY.VERSION)")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                removed = ps.executeUpdate();
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
