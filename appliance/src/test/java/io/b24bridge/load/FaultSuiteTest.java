package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

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
 * at a steady rate of new calls ({@link #RATE}) while one fault at a time hits the box or the AMI link; then every
 * call placed must be in the CRM, finished, once, its card and finish in order. The appliance runs in its own JVM
 * (the {@code b24bridge run} command line), as an operator runs it. Prints one table of what each fault cost.
 *
 * <p>The appliance killed and restarted under this load: {@link FaultSuiteKillTest}, the database's disk full:
 * {@link FaultSuiteDiskFullTest}, each in a rig of its own (faults that harm the appliance itself); the waiting, counting and table: {@link FaultSuiteRig}.
 *
 * <p>Part of {@code ./mvnw verify}: about 6 minutes on a busy 2-core machine (each scenario waits for its calls,
 * bounded by its timeout). By itself:
 * {@code ./mvnw -pl appliance -am test -Dtest=FaultSuiteTest -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dfaults.rate=20]}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private static final double RATE = FaultSuiteRig.RATE;
    private static final Duration SPREAD = Duration.ofSeconds(4);

    @TempDir
    static Path dir;
    private static LoadRig rig;
    private static FaultSuiteRig faults;

    @BeforeAll
    static void start() throws Exception {
        rig = LoadRig.start(dir, dir.resolve("data"), Bench.HEAP, b -> { });
        faults = new FaultSuiteRig(rig);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
            faults.keepApplianceLog("FaultSuiteTest");
            faults.printTable();
        }
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
        AutoCloseable drops = rig.sim().faults().dropEvery(Duration.ofSeconds(4));
        try {
            r = place(12);
            r.await(Duration.ofSeconds(120));
        } finally {
            drops.close();
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

    private static void settle(String fault, Replay r, Duration timeout) throws InterruptedException {
        faults.settle(fault, r, timeout);
    }
}
