package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.bitrix.Faults;
import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;

/**
 * The reliability promises under load: the PBX simulator places the bundled Asterisk 22 calls (a call centre's mix)
 * at a steady rate of new calls ({@link #RATE}) while one fault at a time hits the box, the AMI link or the
 * appliance itself; then every
 * call placed must be in the CRM, finished, once, its card and finish in order. The appliance runs in its own JVM
 * (the {@code b24bridge run} command line) so that it can be killed. Prints one table of what each fault cost.
 *
 * <p>The appliance killed and restarted under this load: {@link FaultSuiteKill}, in a rig of its own, by hand.
 *
 * <p>Part of {@code ./mvnw verify}: about 6 minutes on a busy 2-core machine (each scenario waits for its calls,
 * bounded by its timeout). By itself:
 * {@code ./mvnw -pl appliance -am test -Dtest=FaultSuiteTest -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dfaults.rate=20]}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    /** New calls a second: the 50 by default; {@code -Dfaults.rate=} for another. */
    private static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "50"));
    private static final Duration SPREAD = Duration.ofSeconds(4);
    private static final List<String> TABLE = new ArrayList<>();

    @TempDir
    static Path dir;
    private static LoadRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = LoadRig.start(dir, dir.resolve("data"), Bench.HEAP, b -> { });
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
        System.out.println("| fault at " + (int) RATE + " calls/s | placed | in the CRM | finished | duplicates | out of order |");
        System.out.println("|---|---|---|---|---|---|");
        TABLE.forEach(System.out::println);
    }

    @Test
    @Order(1)
    void theBoxAwayForThirtySecondsGetsEveryCallLaterOnceInOrder() throws Exception {
        rig.emu().faults().outage(Faults.Outage.REFUSED, Duration.ofSeconds(30));
        Replay r = place(20);
        settle("box away 30 s", r, Duration.ofSeconds(150));
    }

    @Test
    @Order(2)
    void aBoxRefusingOneRequestInFiveAtItsLimitsLosesNothing() throws Exception {
        rig.emu().faults().limitRate(0.2);
        try {
            Replay r = place(10);
            r.await(Duration.ofSeconds(120));
            settle("box 503/429 for 20 % of requests", r, Duration.ofSeconds(120));
        } finally {
            rig.emu().faults().limitRate(0);
        }
    }

    @Test
    @Order(3)
    void aBoxTakingTwoSecondsARequestGetsEveryCall() throws Exception {
        rig.emu().faults().latency(Duration.ofSeconds(2));
        Replay r;
        try {
            r = place(10);
            r.await(Duration.ofSeconds(120));
        } finally {
            rig.emu().faults().latency(Duration.ZERO);
        }
        settle("box slow (2 s a request) while placing", r, Duration.ofSeconds(120));
    }

    @Test
    @Order(4)
    void theAmiLinkDroppedEveryFewSecondsLosesNoCall() throws Exception {
        Replay r;
        try (AutoCloseable drops = rig.sim().faults().dropEvery(Duration.ofSeconds(4))) {
            r = place(12);
            r.await(Duration.ofSeconds(120));
        }
        settle("AMI dropped every 4 s", r, Duration.ofSeconds(120));
    }

    @Test
    @Order(6)
    void garbageOnTheAmiWireCostsNoCall() throws Exception {
        // lines without a colon, bytes not UTF-8, a 70,000-character line, NULs, truncated events (Garbage)
        Replay r = rig.place(Mix.callCentre(), (int) (RATE * 10), RATE, SPREAD, o -> o.garbageEvery(40));
        r.await(Duration.ofSeconds(120));
        settle("garbage on the AMI wire every 40 events", r, Duration.ofSeconds(120));
        assertTrue(rig.sim().faults().garbageSent() > 100, "garbage sent: " + rig.sim().faults().garbageSent());
    }

    private static Replay place(int seconds) {
        return rig.place(Mix.callCentre(), (int) (RATE * seconds), RATE, SPREAD, ReplayOptions.Listener.NONE);
    }

    /** Waits for every call to reach the CRM finished (or the timeout), prints the row, asserts the promise. */
    private static void settle(String fault, Replay r, Duration timeout) throws InterruptedException {
        r.await(timeout);
        settle(fault, r.placed(), timeout);
    }

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
