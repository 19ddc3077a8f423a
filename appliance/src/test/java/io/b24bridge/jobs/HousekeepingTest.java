package io.b24bridge.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A year of an appliance's life, tidied: what storage.retention calls old goes, what still matters stays — a call
 * with a dead letter, a recent call, the settings in force, the newest backups.
 */
class HousekeepingTest {

    static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");

    @TempDir
    Path dir;
    Database db;
    ApplianceConfig.Storage storage;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        storage = new ApplianceConfig.Storage(dir);          // defaults: 30 d, 90 d, 365 d, 30 d
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void call(String key, boolean ended, Instant updated, String... commandStates) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CRM_CALLS (CALL_KEY, BITRIX_CALL_ID, STATE, "
                    + "NEXT_SEQ, ENDED, CREATED_AT, UPDATED_AT) VALUES (?, 'x', '{}', ?, ?, ?, ?)")) {
                ps.setString(1, key);
                ps.setInt(2, commandStates.length);
                ps.setInt(3, ended ? 1 : 0);
                ps.setTimestamp(4, Timestamp.from(updated));
                ps.setTimestamp(5, Timestamp.from(updated));
                ps.executeUpdate();
            }
            for (int i = 0; i < commandStates.length; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO OUTBOX (CALL_KEY, SEQ, KIND, PAYLOAD, "
                        + "STATE, ATTEMPTS, NEXT_AT, CREATED_AT, DONE_AT) VALUES (?, ?, 'FINISH', '{}', ?, 1, ?, ?, ?)")) {
                    ps.setString(1, key);
                    ps.setInt(2, i);
                    ps.setString(3, commandStates[i]);
                    ps.setTimestamp(4, Timestamp.from(updated));
                    ps.setTimestamp(5, Timestamp.from(updated));
                    ps.setTimestamp(6, commandStates[i].equals("DONE") ? Timestamp.from(updated) : null);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private void settings(long version, Instant at, String... names) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO SETTINGS_CHANGE (VERSION, CHANGED_AT, KIND, "
                    + "SECTIONS, CHANGED_BY) VALUES (?, ?, 'PUT', ?, NULL)")) {
                ps.setLong(1, version);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, String.join(",", names));
                ps.executeUpdate();
            }
            for (String n : names) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO SETTINGS_HISTORY (VERSION, NAME, BODY) VALUES (?, ?, '{}')")) {
                    ps.setLong(1, version);
                    ps.setString(2, n);
                    ps.executeUpdate();
                }
                try (PreparedStatement del = c.prepareStatement("DELETE FROM SETTINGS_SECTION WHERE NAME = ?");
                     PreparedStatement ps = c.prepareStatement(
                             "INSERT INTO SETTINGS_SECTION (NAME, VERSION, BODY) VALUES (?, ?, '{}')")) {
                    del.setString(1, n);
                    del.executeUpdate();
                    ps.setString(1, n);
                    ps.setLong(2, version);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private List<String> rows(String sql) {
        return db.inTransaction(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private Path backup(String stamp, Instant at) throws Exception {
        Path b = Files.createDirectories(storage.backupsDir().resolve("b24bridge-backup-" + stamp + "/db/seg0"));
        Files.writeString(b.resolve("c10.dat"), "data");
        Path top = storage.backupsDir().resolve("b24bridge-backup-" + stamp);
        Files.setLastModifiedTime(top, FileTime.from(at));
        return top;
    }

    @Test
    void whatIsOldGoesAndWhatStillMattersStays() throws Exception {
        Instant longAgo = NOW.minus(Duration.ofDays(200));
        call("pbx1:old-done", true, longAgo, "DONE", "DONE");            // all gone
        call("pbx1:old-dead", true, longAgo, "DONE", "DEAD");            // the dead letter and its call stay
        call("pbx1:recent", true, NOW.minus(Duration.ofDays(40)), "DONE"); // its command goes, the call stays (< 90 d)
        call("pbx1:talking", false, longAgo, "DONE");                     // not ended: the call stays
        settings(1, NOW.minus(Duration.ofDays(500)), "routing", "call-data");
        settings(2, NOW.minus(Duration.ofDays(400)), "routing");           // call-data of v1 is still in force
        settings(3, NOW.minus(Duration.ofDays(10)), "routing");
        Path[] backups = {backup("20260101-030000", NOW.minus(Duration.ofDays(335))),
                backup("20260201-030000", NOW.minus(Duration.ofDays(304))),
                backup("20260301-030000", NOW.minus(Duration.ofDays(276))),
                backup("20260401-030000", NOW.minus(Duration.ofDays(245))),
                backup("20261130-030000", NOW.minus(Duration.ofDays(2)))};
        Path elsewhere = Files.createDirectories(storage.backupsDir().resolve("operator-copy"));

        String line = new Housekeeping(db, storage, Clock.fixed(NOW, ZoneOffset.UTC)).run();

        assertEquals("removed 5 done commands, 1 finished calls, 2 settings versions, 2 backups", line);
        assertEquals(List.of("pbx1:old-dead", "pbx1:recent", "pbx1:talking"),
                rows("SELECT CALL_KEY FROM CRM_CALLS ORDER BY CALL_KEY"));
        assertEquals(List.of("DEAD"), rows("SELECT STATE FROM OUTBOX"));
        assertEquals(List.of("1/call-data", "3/routing"),
                rows("SELECT CAST(VERSION AS CHAR(4)) || '/' || NAME FROM SETTINGS_HISTORY ORDER BY VERSION")
                        .stream().map(String::strip).map(s -> s.replace(" ", "")).toList());
        assertEquals(List.of("1", "3"), rows("SELECT CAST(VERSION AS CHAR(4)) FROM SETTINGS_CHANGE ORDER BY VERSION")
                .stream().map(String::strip).toList());
        assertFalse(Files.exists(backups[0]));
        assertFalse(Files.exists(backups[1]));
        assertTrue(Files.exists(backups[2]) && Files.exists(backups[3]), "the newest three stay, however old");
        assertTrue(Files.exists(backups[4]));
        assertTrue(Files.exists(elsewhere), "a folder not made by the backup is the operator's");

        assertEquals("removed 0 done commands, 0 finished calls, 0 settings versions, 0 backups",
                new Housekeeping(db, storage, Clock.fixed(NOW, ZoneOffset.UTC)).run(), "a second run finds nothing");
    }
}
