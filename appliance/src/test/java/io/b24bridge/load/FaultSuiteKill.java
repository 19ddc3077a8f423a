package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;

/**
 * The fault suite's appliance SIGKILLed at 50 new calls/s and started again: 30 s of calls 15 s long, the kill 20 s
 * in. Calls that ended while it was away (killed, starting, its AMI link not yet up: 8–20 s on a busy 2-core
 * machine) are the reconciliation's, from the PBX's Master.csv; calls that began meanwhile and calls alive across
 * the gap are found on the PBX when the link is back and finished from their PBX record. Every call placed must be
 * in the CRM, finished, once, in order — but the recorded originate through Local channels, whose transcript has no
 * Cdr event, when it began before the link was back: the simulator writes no Master.csv row for it, so nothing is
 * left to find or to finish it from (counted apart). By hand, not yet in {@code verify} (its name does not end in
 * Test): 2 of its last 3 runs passed, and the originates counted apart still send commands the box takes as out of
 * order, which the ledger of the calls that count would blame if they came before it is read (docs/development.md,
 * "Fault suite"). About 2 minutes on a busy 2-core machine:
 * {@code ./mvnw -pl appliance -am test -Dtest=FaultSuiteKill -Dsurefire.failIfNoSpecifiedTests=false}; the
 * appliance's own log of every run is left in {@code appliance/target/FaultSuiteKill-appliance.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteKill {


    /** New calls a second: the 50 by default; {@code -Dfaults.rate=} for another. */
    private static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "50"));
    private static final List<String> TABLE = new ArrayList<>();

    @TempDir
    static Path dir;
    private static LoadRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = LoadRig.start(dir, dir.resolve("data"), Bench.HEAP, b -> { });
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        if (rig != null) {
            rig.close();
            // the appliance's own lines, every run of it: why a call was lost is there, not in the table
            java.nio.file.Files.writeString(Path.of("target", "FaultSuiteKill-appliance.log"), rig.output());
        }
        System.out.println("| fault at " + (int) RATE + " calls/s | placed | in the CRM | finished | duplicates | out of order |");
        System.out.println("|---|---|---|---|---|---|");
        TABLE.forEach(System.out::println);
    }

    @Test
    @Order(5)
    void theApplianceKilledAndRestartedMidLoadLosesNoCall() throws Exception {
        // calls as long as a short real one (15 s), placed for 30 s; the appliance is killed 20 s in, so calls end
        // while it is away (killed, starting again, its AMI link not yet up: the reconciliation's, from the PBX's
        // Master.csv), others start then and are found on the PBX when it is back, others go on across the gap
        Duration length = Duration.ofSeconds(15);
        Replay r = rig.place(Mix.callCentre(), (int) (RATE * 30), RATE, length, ReplayOptions.Listener.NONE);
        Thread.sleep(20_000);
        Instant killedAt = Instant.now();
        rig.killAppliance(); // calls go on at the PBX while it is away and starting again: some start, some end
        Duration start = rig.startAppliance();
        rig.awaitPbxUp(Duration.ofSeconds(60));
        Instant upAt = Instant.now();
        System.out.println("killed at " + killedAt + ", started in " + start.toMillis() + " ms, AMI link up again at "
                + upAt);
        r.await(Duration.ofSeconds(180));
        // the recorded originate through Local channels has no Cdr event (captured without them), so the simulator
        // writes no Master.csv row for it: one that ended unseen leaves no trace to find, and one alive across the
        // gap (found on the PBX, its DID and ringing unseen) waits in vain for the record that says how it went
        List<Replay.Placed> noRecord = r.placed().stream().filter(p -> p.transcript().contains(NO_CDR)
                && p.startedAt().isBefore(upAt)).toList();
        List<Replay.Placed> promised = r.placed().stream().filter(p -> !noRecord.contains(p)).toList();
        List<Replay.Placed> endedAway = promised.stream().filter(p -> !p.startedAt().plus(length).isBefore(killedAt)
                && p.startedAt().plus(length).isBefore(upAt)).toList();
        settle("appliance killed (SIGKILL) and restarted", promised, Duration.ofSeconds(180));
        CrmLedger away = CrmLedger.of(endedAway, rig.emu());
        TABLE.add(String.format("| … of them, ended while it was away (%.1f s; the reconciliation's) | %d | %d | %d | %d | %d |",
                Duration.between(killedAt, upAt).toMillis() / 1000.0, away.placed(), away.inCrm(), away.finished(),
                away.duplicates(), away.outOfOrder()));
        CrmLedger untraceable = CrmLedger.of(noRecord, rig.emu());
        TABLE.add(String.format("| (not counted: originates through Local channels begun before it was back; "
                + "the simulator writes no CDR for them) | %d | %d | %d | %d | %d |", untraceable.placed(),
                untraceable.inCrm(), untraceable.finished(), untraceable.duplicates(), untraceable.outOfOrder()));
        System.out.println("ended while the appliance was away: " + away);
        assertEquals(0, untraceable.duplicates(), "duplicated calls among the originates without a record");
    }

    /** The bundled transcript whose recording has no Cdr event. */
    private static final String NO_CDR = "inbound-local-channels-originate";

    /** Waits for every call to reach the CRM finished (or the timeout), prints the row, asserts the promise. */
    private static void settle(String fault, List<Replay.Placed> placed, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        CrmLedger l = CrmLedger.of(placed, rig.emu());
        while (l.finished() < l.placed() && System.nanoTime() < end) {
            Thread.sleep(1000);
            l = CrmLedger.of(placed, rig.emu());
        }
        TABLE.add(String.format("| %s | %d | %d | %d | %d | %d |", fault, l.placed(), l.inCrm(), l.finished(),
                l.duplicates(), l.outOfOrder()));
        System.out.println(fault + ": " + l);
        assertEquals(0, l.lostCount(), () -> fault + ": calls lost: " + CrmLedger.of(placed, rig.emu())
                + "\noutbox: " + safeOutbox() + "\n" + warnings(rig.output()));
        assertEquals(0, l.duplicates(), fault + ": duplicated calls");
        assertEquals(0, l.outOfOrder(), fault + ": commands out of order");
    }

    /** The appliance's warnings and worse (the last 40), and where each run began: why calls were lost. */
    private static String warnings(String output) {
        List<String> lines = output.lines().filter(l -> l.contains("WARNING") || l.contains("SEVERE")
                || l.contains("next run") || l.contains("is up in")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String safeOutbox() {
        try {
            return rig.health().path("parts").path("outbox").toString();
        } catch (RuntimeException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }
}
