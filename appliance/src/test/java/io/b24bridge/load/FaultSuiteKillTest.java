package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;

/**
 * The fault suite's appliance SIGKILLed at 50 new calls/s and started again: 20 s of calls 15 s long, the kill once
 * 12 s of them were placed. Calls that ended while it was away (killed, starting, its AMI link not yet up: 8–20 s on
 * a busy 2-core machine) are the reconciliation's, from the PBX's Master.csv; calls that began meanwhile and calls
 * alive across the gap are found on the PBX when the link is back and finished from their PBX record. Every call
 * placed must be in the CRM, finished, once, in order — the originates through Local channels too (the simulator
 * writes their dials' Master.csv rows, as cdr_csv does). In a rig of its own, so the kill harms no other scenario;
 * part of {@code ./mvnw verify} since 2026-12-03 (by hand before: the restart's length decides which calls it proves,
 * and the outbound calls it lost at a 6–11 s restart were found and fixed that day; docs/development.md, fault suite). About 2–5 minutes on a busy 2-core machine. By itself:
 * {@code ./mvnw -pl appliance -am test -Dtest=FaultSuiteKillTest -Dsurefire.failIfNoSpecifiedTests=false}; the
 * appliance's own log of every run is left in {@code appliance/target/FaultSuiteKill-appliance.log}.
 */
class FaultSuiteKillTest {

    private static final double RATE = FaultSuiteRig.RATE;
    /** As long as a short real call rings and talks: some end while the appliance is away, some go on across. */
    private static final Duration CALL = Duration.ofSeconds(15);
    /** Seconds of new calls: 20 (30 by hand before, 2.3 min under a load average of 23; 20 keeps it nearer 2). */
    private static final int SECONDS = 20;
    /** The kill once this many seconds of calls were placed: calls have ended and are going on. */
    private static final int KILL_AFTER = 12;

    @TempDir
    static Path dir;
    private static LoadRig rig;
    private static FaultSuiteRig faults;

    @BeforeAll
    static void start() throws Exception {
        rig = LoadRig.start(dir, dir.resolve("data"), Bench.HEAP, b -> { });
        faults = new FaultSuiteRig(rig, true);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
            faults.keepApplianceLog("FaultSuiteKill");
            faults.printTable();
        }
    }

    @Test
    void theApplianceKilledAndRestartedMidLoadLosesNoCall() throws Exception {
        long t0 = System.nanoTime();
        Replay r = rig.place(Mix.callCentre(), (int) (RATE * SECONDS), RATE, CALL, ReplayOptions.Listener.NONE);
        int killAfter = (int) (RATE * KILL_AFTER);
        LoadRig.await(Duration.ofSeconds(120), () -> r.callsStarted() >= killAfter, killAfter + " calls placed");
        Instant killedAt = Instant.now();
        rig.killAppliance(); // calls go on at the PBX while it is away and starting again: some start, some end
        Duration start = rig.startAppliance();
        rig.awaitPbxUp(Duration.ofSeconds(120));
        Instant upAt = Instant.now();
        System.out.println("killed at " + killedAt + ", started in " + start.toMillis() + " ms, AMI link up again at "
                + upAt);
        assertTrue(r.await(Duration.ofSeconds(180)), "the replay placed its calls");
        List<Replay.Placed> placed = r.placed();
        List<Replay.Placed> endedAway = placed.stream().filter(p -> !p.startedAt().plus(CALL).isBefore(killedAt)
                && p.startedAt().plus(CALL).isBefore(upAt)).toList();
        CrmLedger all = faults.settle("appliance killed (SIGKILL) and restarted", placed, Duration.ofSeconds(240));
        CrmLedger away = CrmLedger.of(endedAway, rig.emu());
        // how the gap fell on this machine: a slow restart (a busy one) leaves none alive across it
        CrmLedger across = CrmLedger.of(placed.stream().filter(p -> p.startedAt().isBefore(upAt)
                && p.startedAt().plus(CALL).isAfter(upAt)).toList(), rig.emu());
        double awaySeconds = Duration.between(killedAt, upAt).toMillis() / 1000.0;
        faults.row(String.format("… of them, ended while it was away (%.1f s; the reconciliation's)", awaySeconds),
                away);
        faults.row("… of them, begun before it was back and going on then (found on the PBX)", across);
        System.out.printf("appliance killed and restarted: placed %d, in the CRM %d, duplicates %d, out of order %d;"
                        + " ended while it was away (%.1f s) %d, going on when it was back %d;"
                        + " %d s from the first call to the last in the CRM%n",
                all.placed(), all.inCrm(), all.duplicates(), all.outOfOrder(), awaySeconds, away.placed(),
                across.placed(), Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        assertTrue(away.placed() > 0, "calls ended while the appliance was away (the reconciliation's): "
                + away.placed());
    }
}
