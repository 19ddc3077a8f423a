package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.pbx.AgiClient;
import io.b24bridge.store.SmallDisk;
import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;

/**
 * The fault suite's disk full: the appliance's storage folder (its Derby database, derby.log) on a small tmpfs of
 * its own, filled to the last byte by another file while the PBX simulator places calls, then freed. The documented
 * behaviour (docs/operations.md, "Disk full"): telephony goes on — the PBX's calls go on, the FastAGI route is
 * answered — while /health says DOWN (503) with the reason; the appliance says so in its log once, not per event;
 * once space is freed it takes writes again by itself (no restart) and catches up: every call placed, the ones of
 * the full period included, is in the CRM, finished, once, in order.
 *
 * <p>Part of {@code ./mvnw verify} since 2026-12-03 (by hand before: it lost calls at load — the calls found after the
 * AMI link's gap given up before their PBX record was read, and a gap whose reconciliation ask the read-only
 * database refused; both fixed, docs/development.md, "Fault suite"). Needs root (it mounts a tmpfs) and fails, never skips,
 * when it cannot mount. 40 s of calls at the fault suite's rate ({@link FaultSuiteRig#RATE}, 50/s), then the
 * catch-up, each wait bounded: about 5 minutes on a busy 2-core machine.
 * {@code ./mvnw -pl appliance test -Dtest=FaultSuiteDiskFullTest -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dfaults.rate=20]}; the appliance's log is left in {@code appliance/target/FaultSuiteDiskFull-appliance.log} and,
 * when it did not come back or catch up, a thread dump beside it.
 */
class FaultSuiteDiskFullTest {

    private static final double RATE = FaultSuiteRig.RATE;
    /** Big enough for the appliance's database and its log files, small enough to fill in a moment. */
    private static final String TMPFS_SIZE = "48m";
    /**
     * The appliance's own WARNING and SEVERE lines the whole run may take: the outage's start and end once per task
     * that meets it (the call engine, the outbox's scan, rounds and single sends, the database's reopen), the AMI link
     * dropped and re-synchronised a few times while the engine held events. Before a round with nothing to send
     * stopped ending the outbox's failure streak: 124–151 at 50/s.
     */
    private static final int OWN_WARNINGS = 40;

    @TempDir
    static Path dir;
    private static SmallDisk disk;
    private static LoadRig rig;
    private static FaultSuiteRig faults;
    private static Replay replay;

    @BeforeAll
    static void start() throws Exception {
        disk = SmallDisk.mount(dir.resolve("storage"), TMPFS_SIZE);
        rig = LoadRig.start(dir, disk.path(), Bench.HEAP, b -> { });
        faults = new FaultSuiteRig(rig, true);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (replay != null) {
                replay.cancel(); // a failed run stops placing calls: its recordings would outlive the temp folder
                replay.await(Duration.ofSeconds(10));
            }
            if (rig != null) {
                rig.close();
                faults.keepApplianceLog("FaultSuiteDiskFull");
                faults.printTable();
                printWaiting();
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    void aFullDiskStopsNoCallSaysDownAndIsCaughtUpOnceFreed() throws Exception {
        AgiClient.Answer routeBefore = route();
        Replay r = rig.place(Mix.callCentre(), (int) (RATE * 40), RATE, Duration.ofSeconds(4),
                ReplayOptions.Listener.NONE);
        replay = r;
        LoadRig.await(Duration.ofSeconds(30), () -> r.callsStarted() >= RATE * 5, "the first calls");

        long filled = disk.fill();
        System.out.println("disk full: filler of " + filled / 1024 + " KiB after " + r.callsStarted() + " calls");

        // the write probe of /health sees it at once; the call journal when Derby's next write finds no room (its
        // log file is allocated ahead: a few seconds of calls later)
        LoadRig.await(Duration.ofSeconds(60), () -> "DOWN".equals(part("database")), "/health's database DOWN");
        String whyDown = rig.health().path("parts").path("database").toString();
        LoadRig.await(Duration.ofSeconds(90), () -> "DOWN".equals(part("calls")), "the call journal's writes refused");
        JsonNode health = rig.health();
        System.out.println("health while full: database " + health.path("parts").path("database") + ", calls "
                + health.path("parts").path("calls"));
        assertEquals("DOWN", health.path("status").asText(), health::toString);
        // the write probe's reason when it first said DOWN: Derby's shutdown on the full disk can free a few pages,
        // so a later probe may find room for its 4 KiB (DEGRADED, 0 MB free) while the database still refuses writes
        // (or its free space: while Derby shuts the database down a probe may find room for its 4 KiB, and the
        // database part then says only that it does not answer — with 0-1 MB free beside it)
        assertTrue(whyDown.contains("No space left on device") || health.toString().contains("No space left on device")
                        || health.path("parts").path("database").path("facts").path("freeDiskMb").asLong(-1) == 0
                        || health.path("parts").path("database").path("facts").path("freeDiskMb").asLong(-1) == 1,
                () -> "why, in /health: " + whyDown + " then " + health);

        // telephony goes on: the PBX places calls, and the dialplan's route question is answered
        // (on a busy machine /health may say DOWN late, when the replay has little left to place: its last call will do)
        int startedWhenDown = r.callsStarted();
        int total = (int) (RATE * 40);
        LoadRig.await(Duration.ofSeconds(60), () -> r.callsStarted() >= Math.min(total, startedWhenDown + RATE * 5),
                "the PBX's calls to go on while the disk is full");
        AgiClient.Answer route = route();
        System.out.println("route before: " + routeBefore.variables() + " in " + routeBefore.nanos() / 1_000_000
                + " ms; while full: " + route.variables() + " in " + route.nanos() / 1_000_000 + " ms");
        assertEquals(routeBefore.variables(), route.variables(), "the route script's answer while the disk is full");
        assertEquals("DOWN", state(), "still DOWN while full");
        assertEquals("DOWN", part("calls"), "the call journal's part still DOWN while full");

        disk.free();
        int placedWhileDown = r.callsStarted() - startedWhenDown;
        System.out.println("disk freed after " + r.callsStarted() + " calls (" + placedWhileDown
                + " placed while DOWN)");
        long freedAt = System.nanoTime();
        try {
            // the database part stays DEGRADED (a 48 MB file system is less than the 512 MB it asks for), not DOWN
            LoadRig.await(Duration.ofSeconds(90), () -> !"DOWN".equals(part("database")) && "UP".equals(part("calls")),
                    "/health's database and calls back from DOWN once space is freed");
        } catch (AssertionError stuck) {
            threadDump();
            throw stuck;
        }
        System.out.println("database and calls back from DOWN " + (System.nanoTime() - freedAt) / 1_000_000
                + " ms after the disk was freed");

        // a loss prints its own evidence (threads, then the killed appliance's journal and the PBX's rows of the calls)
        faults.settle("database disk full, then freed (" + placedWhileDown + " calls placed while DOWN)", r,
                Duration.ofSeconds(120));

        // said once, not per event nor per retry
        List<String> own = faults.ownWarnings();
        System.out.println("the appliance's own warnings and worse: " + own.size());
        assertTrue(own.size() <= OWN_WARNINGS, () -> own.size() + " lines:\n" + String.join("\n", own));
        JsonNode outbox = rig.health().path("parts").path("outbox");
        // /health's outbox part carries its counts in facts (the top level's deadLetters read -1: never 0)
        assertEquals(0, outbox.path("facts").path("deadLetters").asInt(-1), () -> "no command set aside: " + outbox);
    }

    private static AgiClient.Answer route() throws IOException {
        return AgiClient.request("127.0.0.1", rig.agiPort(), "route", "4951000101", "79960000001", "4951000101",
                "79960000001");
    }

    /** The state of one part of /health, or why there was no answer. */
    private static String part(String name) {
        try {
            return rig.health().path("parts").path(name).path("state").asText();
        } catch (RuntimeException e) {
            return "no answer: " + e.getMessage();
        }
    }

    private static String state() {
        try {
            return rig.health().path("status").asText();
        } catch (RuntimeException e) {
            return "no answer: " + e.getMessage();
        }
    }

    /** What the appliance's threads are doing (why it did not come back or catch up), beside its log. */
    private static void threadDump() throws IOException, InterruptedException {
        // Thread.dump_to_file shows the virtual threads too (the outbox's workers and rounds are virtual)
        SmallDisk.run("jcmd", String.valueOf(rig.appliance().pid()), "Thread.dump_to_file", "-overwrite",
                Path.of("target", "FaultSuiteDiskFull-threads.txt").toAbsolutePath().toString());
    }

    /** The commands left waiting or set aside in the stopped appliance's outbox: why they did not go. */
    private static void printWaiting() {
        String url = "jdbc:derby:" + disk.path().resolve("db");
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT CALL_KEY, SEQ, KIND, STATE, ATTEMPTS, "
                     + "NEXT_AT, CREATED_AT, LAST_ERROR FROM OUTBOX WHERE STATE <> 'DONE' ORDER BY ID")) {
            int n = 0;
            while (rs.next() && n++ < 60) {
                System.out.println("waiting: " + rs.getString(1) + " #" + rs.getInt(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " attempts " + rs.getInt(5) + " next " + rs.getTimestamp(6) + " created "
                        + rs.getTimestamp(7) + " error " + rs.getString(8));
            }
            System.out.println("waiting rows printed: " + n);
            // all of them by kind, state and why (the first 60 alone hid what the rest were)
            try (ResultSet kinds = c.createStatement().executeQuery("SELECT KIND, STATE, SUBSTR(LAST_ERROR, 1, 40), "
                    + "COUNT(*) FROM OUTBOX WHERE STATE <> 'DONE' GROUP BY KIND, STATE, SUBSTR(LAST_ERROR, 1, 40)")) {
                while (kinds.next()) {
                    System.out.println("not done: " + kinds.getInt(4) + " " + kinds.getString(1) + " "
                            + kinds.getString(2) + " (" + kinds.getString(3) + "...)");
                }
            }
            // a dead letter's call whole: a command stored twice shows as two of a kind
            try (ResultSet all = c.createStatement().executeQuery("SELECT CALL_KEY, SEQ, KIND, STATE, ATTEMPTS, ID, "
                    + "CREATED_AT, DONE_AT FROM OUTBOX WHERE CALL_KEY IN (SELECT CALL_KEY FROM OUTBOX WHERE STATE "
                    + "= 'DEAD') ORDER BY CALL_KEY, SEQ")) {
                int m = 0;
                while (all.next() && m++ < 200) {
                    System.out.println("dead letter's call: " + all.getString(1) + " #" + all.getInt(2) + " "
                            + all.getString(3) + " " + all.getString(4) + " attempts " + all.getInt(5) + " id "
                            + all.getLong(6) + " created " + all.getTimestamp(7) + " done " + all.getTimestamp(8));
                }
            }
        } catch (SQLException e) {
            System.out.println("the outbox could not be read after the stop: " + e);
        }
        try {
            DriverManager.getConnection(url + ";shutdown=true").close();
        } catch (SQLException expected) {
            // 08006: shut down
        }
    }
}
