package io.b24bridge.settings;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.b24bridge.store.Database;

/**
 * Reads the settings' past: each version (who, when, what kind, which sections) from {@code SETTINGS_CHANGE},
 * and the whole settings as they stood at a version from {@code SETTINGS_HISTORY} (each section's latest value at
 * or before it; a section never saved is its default). The rows are written by {@link SettingsStore} alone.
 */
public final class SettingsHistory {

    /** One saved version. */
    public record Version(long version, Instant changedAt, String kind, List<String> sections, String changedBy) {
    }

    private final Database db;
    private final SettingsJson json;

    SettingsHistory(Database db, SettingsJson json) {
        this.db = db;
        this.json = json;
    }

    /** The newest versions first, at most {@code limit}. */
    public List<Version> versions(int limit) {
        return db.inTransaction(c -> {
            List<Version> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT VERSION, CHANGED_AT, KIND, SECTIONS, CHANGED_BY "
                    + "FROM SETTINGS_CHANGE ORDER BY VERSION DESC FETCH FIRST ? ROWS ONLY")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Version(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                List.of(rs.getString(4).split(",")), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The oldest version the history still rebuilds whole: older ones lost section values to
     * {@code storage.retention.settings-history} (see {@link SettingsRetention}); 0 while nothing was pruned.
     */
    public long horizon() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT FROM_VERSION FROM SETTINGS_HISTORY_HORIZON WHERE ID = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * The settings as they stood at {@code version}; empty when no such version was saved, or when it is older than
     * the {@link #horizon} (it would come back with some sections at their defaults).
     */
    public Optional<Settings> at(long version) {
        if (version < horizon()) {
            return Optional.empty();
        }
        boolean saved = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM SETTINGS_CHANGE WHERE VERSION = ?")) {
                ps.setLong(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        return saved ? Optional.of(asOf(version)) : Optional.empty();
    }

    /**
     * The settings just before {@code version} (whatever version that was: an import may skip numbers), for what
     * it changed; empty when that is older than the {@link #horizon}. Before version 1 every section is its default.
     */
    public Optional<Settings> before(long version) {
        return version - 1 < horizon() ? Optional.empty() : Optional.of(asOf(version - 1));
    }

    private Settings asOf(long version) {
        return db.inTransaction(c -> {
            Map<Section, SectionValue> values = new EnumMap<>(Section.class);
            for (Section s : Section.values()) {
                values.put(s, s.defaultValue());
            }
            // each section's latest body at or before the version: older rows first, later ones overwrite
            try (PreparedStatement ps = c.prepareStatement("SELECT NAME, BODY FROM SETTINGS_HISTORY "
                    + "WHERE VERSION <= ? ORDER BY VERSION")) {
                ps.setLong(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        String body = rs.getString(2);
                        Section.byKey(name).ifPresent(s -> values.put(s, json.readSectionUnchecked(s, body)));
                    }
                }
            }
            return new Settings(version, values);
        });
    }
}
