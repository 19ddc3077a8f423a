package io.b24bridge.settings;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.b24bridge.store.Database;

/**
 * The one owner of the settings: reads them from Derby at start, keeps the current {@link Settings} snapshot
 * in memory for the call path, and writes every change — validated first — as a new version, with its
 * history, in one transaction. Listeners hear about each committed change.
 */
public final class SettingsStore {

    private static final Logger LOG = Logger.getLogger(SettingsStore.class.getName());

    private final Database db;
    private final SettingsJson json;
    private final List<Consumer<Settings>> listeners = new CopyOnWriteArrayList<>();
    private final SettingsHistory history;
    private volatile Settings current;

    public SettingsStore(Database db, SettingsJson json) {
        this.db = db;
        this.json = json;
        this.history = new SettingsHistory(db, json);
        this.current = load();
    }

    /** The saved versions and the settings as they stood at each. */
    public SettingsHistory history() {
        return history;
    }

    /** The settings now in force. */
    public Settings current() {
        return current;
    }

    public SettingsJson json() {
        return json;
    }

    /** Tells {@code listener} about every change from now on. */
    public void onChange(Consumer<Settings> listener) {
        listeners.add(listener);
    }

    /**
     * Replaces one section with a JSON value.
     *
     * @param expectedVersion when given, the change is refused unless the settings are still at this version
     * @param changedBy       who asked (for the audit trail), may be null
     * @throws InvalidSettingsException when the value is refused (nothing stored)
     * @throws VersionConflictException when someone else changed the settings since {@code expectedVersion}
     */
    public Settings put(Section section, byte[] jsonValue, OptionalLong expectedVersion, String changedBy) {
        return put(section, json.readSection(section, jsonValue), expectedVersion, changedBy);
    }

    public synchronized Settings put(Section section, SectionValue value, OptionalLong expectedVersion,
                                     String changedBy) {
        Problems problems = new Problems();
        value.validate(problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(section.key(), problems.errors());
        }
        checkVersion(expectedVersion);
        long version = current.version() + 1;
        Map<Section, SectionValue> changed = Map.of(section, value);
        write(version, "PUT", changed, changedBy);
        Map<Section, SectionValue> all = new EnumMap<>(current.sections());
        all.put(section, value);
        return publish(new Settings(version, all), "section " + section.key());
    }

    /** The whole settings as one JSON document. */
    public String export() {
        return json.export(current);
    }

    /**
     * Replaces all settings with an export document (sections it lacks return to their defaults). The new
     * version is the document's own when that is ahead of ours, so an export imported into an empty store
     * exports again byte for byte.
     */
    public synchronized Settings importDocument(byte[] document, String changedBy) {
        SettingsJson.ImportedDocument doc = json.readDocument(document);
        Map<Section, SectionValue> all = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            all.put(s, doc.sections().getOrDefault(s, s.defaultValue()));
        }
        long version = Math.max(current.version() + 1, doc.version());
        write(version, "IMPORT", all, changedBy);
        return publish(new Settings(version, all), "import of all sections");
    }

    /**
     * Makes the settings of an earlier version the current ones again, as a new version (kind RESTORE): the
     * history keeps both the restored values and what they replaced. Values are validated as a save would be.
     *
     * @return empty when no such version was saved
     * @throws InvalidSettingsException when a restored value no longer passes today's rules (nothing stored)
     */
    public synchronized Optional<Settings> restore(long version, String changedBy) {
        Optional<Settings> old = history.at(version);
        if (old.isEmpty()) {
            return old;
        }
        Problems problems = new Problems();
        for (Section s : Section.values()) {
            old.get().get(s).validate(problems.at(s.key()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException("restore of version " + version, problems.errors());
        }
        long next = current.version() + 1;
        Map<Section, SectionValue> all = new EnumMap<>(old.get().sections());
        write(next, "RESTORE", all, changedBy);
        return Optional.of(publish(new Settings(next, all), "restore of version " + version));
    }

    private void checkVersion(OptionalLong expected) {
        if (expected.isPresent() && expected.getAsLong() != current.version()) {
            throw new VersionConflictException(expected.getAsLong(), current.version());
        }
    }

    private Settings publish(Settings next, String what) {
        current = next;
        LOG.info(() -> "settings version " + next.version() + " stored (" + what + ")");
        for (Consumer<Settings> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warning("a settings listener failed: " + e);
            }
        }
        return next;
    }

    private void write(long version, String kind, Map<Section, SectionValue> sections, String changedBy) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO SETTINGS_CHANGE (VERSION, CHANGED_AT, KIND, SECTIONS, CHANGED_BY) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, version);
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.setString(3, kind);
                ps.setString(4, sections.keySet().stream().map(Section::key).collect(Collectors.joining(",")));
                ps.setString(5, changedBy);
                ps.executeUpdate();
            }
            for (Map.Entry<Section, SectionValue> e : sections.entrySet()) {
                String body = json.write(e.getValue());
                upsert(c, e.getKey(), version, body);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO SETTINGS_HISTORY (VERSION, NAME, BODY) VALUES (?, ?, ?)")) {
                    ps.setLong(1, version);
                    ps.setString(2, e.getKey().key());
                    ps.setString(3, body);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void upsert(Connection c, Section section, long version, String body) throws SQLException {
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE SETTINGS_SECTION SET VERSION = ?, BODY = ? WHERE NAME = ?")) {
            up.setLong(1, version);
            up.setString(2, body);
            up.setString(3, section.key());
            if (up.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement in = c.prepareStatement(
                "INSERT INTO SETTINGS_SECTION (NAME, VERSION, BODY) VALUES (?, ?, ?)")) {
            in.setString(1, section.key());
            in.setLong(2, version);
            in.setString(3, body);
            in.executeUpdate();
        }
    }

    private Settings load() {
        return db.inTransaction(c -> {
            long version;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(VERSION), 0) FROM SETTINGS_CHANGE")) {
                rs.next();
                version = rs.getLong(1);
            }
            Map<Section, SectionValue> values = new EnumMap<>(Section.class);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT NAME, BODY FROM SETTINGS_SECTION")) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    Section section = Section.byKey(name).orElse(null);
                    if (section == null) {
                        LOG.warning("settings section '" + name + "' in the database is not known to this version; ignored");
                        continue;
                    }
                    // stored values were valid when written; a newer rule must not stop the start, so only parse
                    try {
                        values.put(section, json.readSection(section, rs.getString(2).getBytes(StandardCharsets.UTF_8)));
                    } catch (InvalidSettingsException e) {
                        LOG.warning("stored settings section '" + name + "' no longer passes validation ("
                                + e.errors() + "); it is kept as stored until edited");
                        values.put(section, json.readSectionUnchecked(section, rs.getString(2)));
                    }
                }
            }
            return new Settings(version, values);
        });
    }
}
