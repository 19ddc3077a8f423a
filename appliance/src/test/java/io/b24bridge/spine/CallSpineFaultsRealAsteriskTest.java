package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Faults;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Telephony never depends on Bitrix24, and the CRM still gets every call once: the box away during a run of
 * calls, the PBX restarted or crashed in the middle of a call — on the real Asterisk.
 */
class CallSpineFaultsRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    @TempDir
    static Path dir;
    static SpineRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = SpineRig.start(dir, ASTERISK.pair());
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void theBoxAwayForTenCallsThenBackGetsEveryCallOnceInOrder(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        rig.emu.faults().outage(Faults.Outage.REFUSED);
        List<WorldCall> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(pbx.placeInboundCall("4951000101", "7999100" + String.format("%04d", i),
                    WorldScript.staysUntilHungUp()));
            Thread.sleep(200);
        }
        for (WorldCall c : calls) {
            assertEquals("16", c.awaitEnd(Duration.ofSeconds(30)), "every call went through while the box was away");
            assertTrue(c.isAnswered());
        }
        SpineRig.await(Duration.ofSeconds(30), () -> rig.app.appliance().engine().callsInProgress() == 0, "calls to end");
        long waiting = rig.app.appliance().outbox().report().counts().pending();
        assertTrue(waiting >= 20, "register and finish of each call wait: " + waiting);
        assertTrue(rig.calls(c -> c.phoneNumber().startsWith("+7999100")).isEmpty(), "nothing reached the box yet");

        Instant back = Instant.now();
        rig.emu.faults().outage(Faults.Outage.NONE);
        rig.awaitCrmCaughtUp(Duration.ofSeconds(60));
        Duration catchUp = Duration.between(back, Instant.now());
        System.out.printf("catch-up after the outage: %d commands in %d ms%n", waiting, catchUp.toMillis());

        for (int i = 0; i < 10; i++) {
            CallView c = rig.call("+7999100" + String.format("%04d", i));
            assertEquals(1, c.registerCount(), "registered once");
            assertTrue(c.finished(), "finished");
            assertTrue(c.registeredAt().isBefore(c.finishedAt()), "register came before finish");
            assertEquals("200", c.statusCode());
            assertTrue(c.duration() >= 1 && c.duration() <= 3, "the talk time the PBX saw, not the outage: " + c.duration());
            assertEquals(1, rig.emu.state().activitiesOf(c.callId()).size(), "one activity");
        }
    }

    @Test
    void aPbxRestartedInTheMiddleOfACallLeavesNoCardOpen(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79991110001", WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(Duration.ofSeconds(20)));
        SpineRig.await(Duration.ofSeconds(30), () -> !rig.calls(c -> c.phoneNumber().equals("+79991110001")).isEmpty(),
                "the card to pop");
        Thread.sleep(1000);
        pbx.restartPbx(AsteriskPair.Restart.GRACEFUL);
        rig.awaitPbxConnected();
        rig.awaitCrmCaughtUp(Duration.ofSeconds(30));

        CallView c = rig.call("+79991110001");
        assertTrue(c.finished(), "finished after the reconnect");
        assertEquals(List.of(), c.cardVisibleTo(), "no card left showing");
        assertEquals("200", c.statusCode());
    }

    @Test
    void aPbxThatCrashesMidCallIsReconciledOnReconnect(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79991110002", WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(Duration.ofSeconds(20)));
        SpineRig.await(Duration.ofSeconds(30), () -> !rig.calls(c -> c.phoneNumber().equals("+79991110002")).isEmpty(),
                "the card to pop");
        Thread.sleep(2000);
        pbx.restartPbx(AsteriskPair.Restart.CRASH); // no Hangup events: the PBX just dies
        rig.awaitPbxConnected();
        rig.awaitCrmCaughtUp(Duration.ofSeconds(30));
        pbx.reset(); // the world's legs of the dead call, which nobody hangs up

        CallView c = rig.call("+79991110002");
        assertTrue(c.finished());
        assertEquals(List.of(), c.cardVisibleTo(), "no card left showing");
        assertTrue(c.duration() >= 2, "talked until the crash (up to the reconnect): " + c.duration());
    }
}
