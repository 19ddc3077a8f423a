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
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.outbox.RecordingsDir;
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

    /** A call whose recording's attach command is in {@code state} since {@code at}. */
    private void attach(String linkedid, String pbxPath, String state, Instant at) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CRM_CALLS (CALL_KEY, BITRIX_CALL_ID, STATE, "
                    + "NEXT_SEQ, ENDED, CREATED_AT, UPDATED_AT) VALUES (?, 'x', '{}', 1, 1, ?, ?)")) {
                ps.setString(1, "pbx1:" + linkedid);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setTimestamp(3, Timestamp.from(at));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO OUTBOX (CALL_KEY, SEQ, KIND, PAYLOAD, STATE, "
                    + "ATTEMPTS, NEXT_AT, CREATED_AT, DONE_AT) VALUES (?, 0, 'ATTACH_RECORD', ?, ?, 1, ?, ?, ?)")) {
                ps.setString(1, "pbx1:" + linkedid);
                ps.setString(2, "{\"v\":1,\"call\":{\"pbx\":\"pbx1\",\"linkedid\":\"" + linkedid
                        + "\"},\"recordingFile\":\"" + pbxPath + "\"}");
                ps.setString(3, state);
                ps.setTimestamp(4, Timestamp.from(at));
                ps.setTimestamp(5, Timestamp.from(at));
                ps.setTimestamp(6, state.equals("DONE") ? Timestamp.from(at) : null);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Test
    void recordingsBitrixTookLongAgoGoAndNoOtherFile() throws Exception {
        ApplianceConfig.Storage keepAWeek = new ApplianceConfig.Storage(dir, new ApplianceConfig.Retention(
                Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(365), Duration.ofDays(30),
                Optional.of(Duration.ofDays(7))));
        Path local = Files.createDirectories(dir.resolve("monitor/2026/11/20"));
        Path secret = Files.writeString(dir.resolve("client-secret"), "s3cr3t");
        Path sent = Files.writeString(local.resolve("sent-long-ago.wav"), "RIFF");
        Path recent = Files.writeString(local.resolve("sent-yesterday.wav"), "RIFF");
        Path waiting = Files.writeString(local.resolve("still-waiting.wav"), "RIFF");
        Path dead = Files.writeString(local.resolve("refused.wav"), "RIFF");
        Path link = Files.createSymbolicLink(local.resolve("link-out.wav"), secret);
        Path unnamed = Files.writeString(local.resolve("no-command.wav"), "RIFF");
        String onPbx = "/var/spool/asterisk/monitor/2026/11/20/";
        Instant tenDaysAgo = NOW.minus(Duration.ofDays(10));
        attach("1.1", onPbx + "sent-long-ago.wav", "DONE", tenDaysAgo);
        attach("1.2", onPbx + "sent-yesterday.wav", "DONE", NOW.minus(Duration.ofDays(1)));
        attach("1.3", onPbx + "still-waiting.wav", "PENDING", tenDaysAgo);
        attach("1.4", onPbx + "refused.wav", "DEAD", tenDaysAgo);
        attach("1.5", onPbx + "link-out.wav", "DONE", tenDaysAgo);
        attach("1.6", "/etc/b24bridge/../../" + secret, "DONE", tenDaysAgo);
        Map<String, RecordingsDir> dirs = Map.of("pbx1", new RecordingsDir(dir.resolve("monitor"),
                Path.of("/var/spool/asterisk/monitor")));

        String line = new Housekeeping(db, keepAWeek, dirs, Clock.fixed(NOW, ZoneOffset.UTC)).run();

        assertTrue(line.startsWith("removed 1 recordings, "), line);
        assertFalse(Files.exists(sent), "in Bitrix24 for ten days: removed");
        for (Path stays : List.of(recent, waiting, dead, unnamed, secret)) {
            assertTrue(Files.exists(stays), stays + " stays");
        }
        assertTrue(Files.isSymbolicLink(link), "a link out of the folder is never followed to delete");
        assertTrue(new Housekeeping(db, keepAWeek, dirs, Clock.fixed(NOW, ZoneOffset.UTC)).run()
                .startsWith("removed 0 recordings, "), "a second run finds nothing");
    }

    @Test
    void whatIsOldGoesAndWhatStillMattersStays() throws Exception {
        Instant longAgo = NOW.minus(Duration.ofDays(200));
        call("pbx1:old-done", true, longAgo, "DONE", "DONE");            // all gone
        call("pbx1:old-dead", true, longAgo, "DONE", "DEAD");            // the dead letter and its call stay
        call("pbx1:recent", true, NOW.minus(Duration.ofDays(40)), "DONE"); // its command goes, the call stays (< 90 d)
        call("pbx1:talking", false, longAgo, "DONE");                     // not ended: the call stays
        settings(1, NOW.minus(Duration.ofDays(500)), "routing", "call-data");
        settings(2, NOW.minus(Duration.ofDays(400)), "routing");           // call-data of v1 is still in force,
        // and routing of v2 is the newest before the cut-off: version 3's predecessor is rebuilt whole
        settings(3, NOW.minus(Duration.ofDays(10)), "routing");
        Path[] backups = {backup("20260101-030000", NOW.minus(Duration.ofDays(335))),
                backup("20260201-030000", NOW.minus(Duration.ofDays(304))),
                backup("20260301-030000", NOW.minus(Duration.ofDays(276))),
                backup("20260401-030000", NOW.minus(Duration.ofDays(245))),
                backup("20261130-030000", NOW.minus(Duration.ofDays(2)))};
        Path elsewhere = Files.createDirectories(storage.backupsDir().resolve("operator-copy"));

        String line = new Housekeeping(db, storage, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC)).run();

        assertEquals("removed 5 done commands, 1 finished calls, 1 settings versions, 2 backups", line);
        assertEquals(List.of("pbx1:old-dead", "pbx1:recent", "pbx1:talking"),
                rows("SELECT CALL_KEY FROM CRM_CALLS ORDER BY CALL_KEY"));
        assertEquals(List.of("DEAD"), rows("SELECT STATE FROM OUTBOX"));
        assertEquals(List.of("1/call-data", "2/routing", "3/routing"),
                rows("SELECT CAST(VERSION AS CHAR(4)) || '/' || NAME FROM SETTINGS_HISTORY ORDER BY VERSION")
                        .stream().map(String::strip).map(s -> s.replace(" ", "")).toList());
        assertEquals(List.of("1", "2", "3"), rows("SELECT CAST(VERSION AS CHAR(4)) FROM SETTINGS_CHANGE ORDER BY VERSION")
                .stream().map(String::strip).toList());
        assertEquals(List.of("2"), rows("SELECT CAST(FROM_VERSION AS CHAR(4)) FROM SETTINGS_HISTORY_HORIZON")
                .stream().map(String::strip).toList(), "version 1 lost its routing: the panel shows versions from 2");
        assertFalse(Files.exists(backups[0]));
        assertFalse(Files.exists(backups[1]));
        assertTrue(Files.exists(backups[2]) && Files.exists(backups[3]), "the newest three stay, however old");
        assertTrue(Files.exists(backups[4]));
        assertTrue(Files.exists(elsewhere), "a folder not made by the backup is the operator's");

        assertEquals("removed 0 done commands, 0 finished calls, 0 settings versions, 0 backups",
                new Housekeeping(db, storage, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC)).run(), "a second run finds nothing");
    }
}
