package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.pbx.AgiClient;
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
 * <p>By hand, not yet in {@code verify} (its name does not end in Test): 1 of its last 2 runs at 20 calls/s passed;
 * the other lost 32 of 800 calls, and a run at 50/s had 23 of 2,000 in the CRM (docs/development.md, "Fault suite":
 * what is not caught up yet). What it proves when it passes, Derby's reopen, is in {@code verify} through
 * {@code DatabaseDiskFullTest}. Needs root (it mounts a tmpfs) and fails, never skips, when it cannot mount. About
 * 1.5–4 minutes on a busy 2-core machine:
 * {@code ./mvnw -pl appliance test -Dtest=FaultSuiteDiskFull -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dfaults.diskfull.rate=50]}; the appliance's log is left in {@code appliance/target/FaultSuiteDiskFull-appliance.log}
 * and, when it did not come back or catch up, a thread dump beside it.
 */
class FaultSuiteDiskFull {

    /** New calls a second while the disk fills and is freed: moderate, so the catch-up is the point, not the rate. */
    private static final double RATE = Double.parseDouble(System.getProperty("faults.diskfull.rate", "20"));
    /** Big enough for the appliance's database and its log files, small enough to fill in a moment. */
    private static final String TMPFS_SIZE = "48m";

    @TempDir
    static Path dir;
    private static Path storage;
    private static boolean mounted;
    private static LoadRig rig;

    @BeforeAll
    static void start() throws Exception {
        storage = Files.createDirectories(dir.resolve("storage"));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE + ",mode=0700", "tmpfs", storage.toString());
        assertEquals(0, rc, "mount a " + TMPFS_SIZE + " tmpfs on " + storage + " (the test needs root)");
        mounted = true;
        rig = LoadRig.start(dir, storage, Bench.HEAP, b -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (rig != null) {
                rig.close();
                Files.writeString(Path.of("target", "FaultSuiteDiskFull-appliance.log"), rig.output());
                printWaiting();
            }
        } finally {
            if (mounted) {
                // lazy: a file still open (a killed JVM's) must not leave the mount behind
                assertEquals(0, run("umount", "-l", storage.toString()), "unmount " + storage);
            }
        }
    }

    @Test
    void aFullDiskStopsNoCallSaysDownAndIsCaughtUpOnceFreed() throws Exception {
        AgiClient.Answer routeBefore = route();
        Replay r = rig.place(Mix.callCentre(), (int) (RATE * 40), RATE, Duration.ofSeconds(4),
                ReplayOptions.Listener.NONE);
        LoadRig.await(Duration.ofSeconds(30), () -> r.callsStarted() >= RATE * 5, "the first calls");

        Path filler = storage.resolve("filler");
        long filled = fill(filler);
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
        assertEquals("DOWN", health.path("parts").path("calls").path("state").asText(), health::toString);
        // the write probe's reason when it first said DOWN: Derby's shutdown on the full disk can free a few pages,
        // so a later probe may find room for its 4 KiB (DEGRADED, 0 MB free) while the database still refuses writes
        assertTrue(whyDown.contains("No space left on device") || health.toString().contains("No space left on device"),
                () -> "why, in /health: " + whyDown + " then " + health);

        // telephony goes on: the PBX places calls, and the dialplan's route question is answered
        int startedWhenDown = r.callsStarted();
        LoadRig.await(Duration.ofSeconds(60), () -> r.callsStarted() >= startedWhenDown + RATE * 5,
                "the PBX's calls to go on while the disk is full");
        AgiClient.Answer route = route();
        System.out.println("route before: " + routeBefore.variables() + " in " + routeBefore.nanos() / 1_000_000
                + " ms; while full: " + route.variables() + " in " + route.nanos() / 1_000_000 + " ms");
        assertEquals(routeBefore.variables(), route.variables(), "the route script's answer while the disk is full");
        assertEquals("DOWN", state(), "still DOWN while full");
        assertEquals("DOWN", part("calls"), "the call journal's part still DOWN while full");

        Files.delete(filler);
        int startedWhenFreed = r.callsStarted();
        System.out.println("disk freed after " + startedWhenFreed + " calls (" + (startedWhenFreed - startedWhenDown)
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

        assertTrue(r.await(Duration.ofSeconds(120)), "the replay to end");
        CrmLedger l = settle(r.placed(), Duration.ofSeconds(120));
        String row = String.format("| database disk full, then freed (%d calls placed while DOWN) | %d | %d | %d | %d | %d |",
                startedWhenFreed - startedWhenDown, l.placed(), l.inCrm(), l.finished(), l.duplicates(), l.outOfOrder());
        System.out.println("| fault at " + (int) RATE + " calls/s | placed | in the CRM | finished | duplicates | out of order |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(row);
        if (l.lostCount() > 0) {
            threadDump();
        }
        assertEquals(0, l.lostCount(), () -> "calls lost: " + l + "\noutbox: " + rig.health().path("parts")
                .path("outbox") + "\n" + warnings(rig.output()));
        assertEquals(0, l.duplicates(), () -> "duplicated calls: " + l);
        assertEquals(0, l.outOfOrder(), () -> "commands out of order: " + l);

        // said once, not per event: the appliance's own warnings and worse stay a handful (before the outbox's
        // failures were counted, each of its rounds logged one: 3,700 in 2 minutes); Quartz's and asterisk-java's
        // own lines are theirs
        List<String> own = rig.output().lines().filter(x -> x.contains(" WARNING io.b24bridge.")
                || x.contains(" SEVERE io.b24bridge.")).toList(); // not asterisk-java's "event io.b24bridge.pbx…"
        System.out.println("the appliance's own warnings and worse: " + own.size());
        assertTrue(own.size() <= 30, () -> own.size() + " lines:\n" + String.join("\n", own));
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

    /** What the appliance's threads are doing (why it did not come back or catch up), beside its log. */
    private static void threadDump() throws IOException, InterruptedException {
        // Thread.dump_to_file shows the virtual threads too (the outbox's workers and rounds are virtual)
        run("jcmd", String.valueOf(rig.appliance().pid()), "Thread.dump_to_file", "-overwrite",
                Path.of("target", "FaultSuiteDiskFull-threads.txt").toAbsolutePath().toString());
    }

    /** The commands left waiting in the stopped appliance's outbox: why they did not go. */
    private static void printWaiting() {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:derby:" + storage.resolve("db"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT CALL_KEY, SEQ, KIND, STATE, ATTEMPTS, "
                     + "NEXT_AT, CREATED_AT, LAST_ERROR FROM OUTBOX WHERE STATE <> 'DONE' ORDER BY ID")) {
            int n = 0;
            while (rs.next() && n++ < 60) {
                System.out.println("waiting: " + rs.getString(1) + " #" + rs.getInt(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " attempts " + rs.getInt(5) + " next " + rs.getTimestamp(6) + " created "
                        + rs.getTimestamp(7) + " error " + rs.getString(8));
            }
            System.out.println("waiting rows printed: " + n);
        } catch (java.sql.SQLException e) {
            System.out.println("the outbox could not be read after the stop: " + e);
        }
        try {
            java.sql.DriverManager.getConnection("jdbc:derby:" + storage.resolve("db") + ";shutdown=true").close();
        } catch (java.sql.SQLException expected) {
            // 08006: shut down
        }
    }

    private static String state() {
        try {
            return rig.health().path("status").asText();
        } catch (RuntimeException e) {
            return "no answer: " + e.getMessage();
        }
    }

    /** Writes zeros until the file system says it is full; returns how much went in. */
    private static long fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long n = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
                n += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return n;
    }

    private static CrmLedger settle(List<Replay.Placed> placed, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        CrmLedger l = CrmLedger.of(placed, rig.emu());
        while (l.finished() < l.placed() && System.nanoTime() < end) {
            Thread.sleep(1000);
            l = CrmLedger.of(placed, rig.emu());
        }
        return l;
    }

    private static String warnings(String output) {
        List<String> lines = output.lines().filter(l -> l.contains("WARNING") || l.contains("SEVERE")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + out);
        }
        return p.exitValue();
    }
}
