package io.b24bridge.spine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answersAndStays;
import static io.b24bridge.testkit.asterisk.PhoneBehaviour.neverAnswers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No call lost, on the real Asterisk: calls that started and ended while the appliance was down, or while its AMI
 * link was cut, reach the CRM from the PBX's own Master.csv (cdr_csv, the product's dialplan writing the DID and
 * the recording into the userfield) — each once, with its real talk time (±1 s), operator and recording.
 */
class ReconciliationRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    /** The PBX's records count whole seconds; the world's clock is read around the answer and hang-up. */
    private static final int TOLERANCE_SECONDS = 1;

    @TempDir
    Path dir;
    SpineRig rig;
    TcpCut ami;

    @AfterEach
    void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
        if (ami != null) {
            ami.close();
        }
    }

    /** A call placed by the world, and when it was really answered and hung up. */
    private static final class Timed {
        final String number;
        final WorldCall call;
        Instant answered;
        Instant hungUp;

        Timed(String number, WorldCall call) {
            this.number = "+" + number;
            this.call = call;
        }

        Timed answered() throws InterruptedException {
            assertTrue(call.awaitAnswer(Duration.ofSeconds(30)), number + " answered");
            answered = Instant.now();
            return this;
        }

        void hangUp() throws IOException, InterruptedException {
            hungUp = Instant.now();
            call.hangup();
            call.awaitEnd(Duration.ofSeconds(20));
        }

        long talked() {
            return Math.round(Duration.between(answered, hungUp).toMillis() / 1000.0);
        }
    }

    private SpineRig rig(AsteriskPair pbx) throws Exception {
        ami = TcpCut.to(pbx.pbxAmi().host(), pbx.pbxAmi().port());
        return SpineRig.start(dir, SpineRig.pbxSectionWithRecords(pbx, ami.port()));
    }

    private Timed call(AsteriskPair pbx, String did, String number) throws IOException {
        return new Timed(number, pbx.placeInboundCall(did, number, WorldScript.staysUntilHungUp()));
    }

    private static void talk(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis()); // the conversation itself: how long it lasts is the test's input, not a wait
    }

    @Test
    void fiveCallsWhileTheApplianceIsDownReachTheCrmOnceWithTheirRealTalk(AsteriskPair pbx) throws Exception {
        rig = rig(pbx);                                   // the appliance follows the PBX …
        rig.stopAppliance();                              // … then is down while five calls start and end
        pbx.phone("101", answersAndStays(Duration.ofMillis(500)));
        pbx.phone("102", neverAnswers());

        Timed a = call(pbx, "4951000101", "79994000001").answered();
        talk(Duration.ofSeconds(2));
        a.hangUp();
        Timed b = call(pbx, "4951000101", "79994000002").answered();
        Timed c = call(pbx, "4951000200", "79994000003").answered();   // the ring group: 101 takes it
        talk(Duration.ofSeconds(3));
        b.hangUp();
        talk(Duration.ofSeconds(1));
        c.hangUp();
        Timed d = call(pbx, "4951000101", "79994000004").answered();
        talk(Duration.ofSeconds(1));
        d.hangUp();
        WorldCall missed = pbx.placeInboundCall("4951000102", "79994000005",
                WorldScript.hangsUpWhileRinging(Duration.ofSeconds(3)));
        missed.awaitEnd(Duration.ofSeconds(20));

        rig.startAgain();
        List<Timed> answered = List.of(a, b, c, d);
        awaitCrm(() -> answered.stream().allMatch(t -> finishedWithRecording(t.number)) && finished("+79994000005"));

        for (Timed t : answered) {
            CallView v = one(t.number);
            assertEquals("200", v.statusCode(), t.number);
            assertTrue(Math.abs(v.duration() - t.talked()) <= TOLERANCE_SECONDS,
                    t.number + " talked " + t.talked() + " s; the CRM says " + v.duration() + " s");
            assertEquals(2, v.finishUserId(), "101 talked");
            assertEquals(1, rig.emu.state().activitiesOf(v.callId()).size(), "one activity for " + t.number);
        }
        assertEquals("4951000200", one("+79994000003").lineNumber(), "the DID from the record's userfield");
        assertEquals("DID_74957654321", one("+79994000003").crmSource(), "so the DID's lead source");
        CallView m = one("+79994000005");
        assertEquals("304", m.statusCode(), "missed");
        assertEquals(4, m.finishUserId(), "on the route's default responsible");
        assertNull(m.record());
    }

    @Test
    void anAmiLinkCutMidCallLosesNoCallAndCountsNoGapAsTalk(AsteriskPair pbx) throws Exception {
        rig = rig(pbx);
        pbx.phone("101", answersAndStays(Duration.ofMillis(500)));
        Timed before = call(pbx, "4951000101", "79994100001").answered();
        SpineRig.await(Duration.ofSeconds(30), () -> !rig.calls(v -> v.phoneNumber().equals(before.number)).isEmpty(),
                "the card while linked");

        ami.cut();                                       // the link drops mid-call; the PBX goes on
        talk(Duration.ofSeconds(2));
        before.hangUp();                                 // this call ends unseen
        Timed unseen = call(pbx, "4951000101", "79994100002").answered();
        talk(Duration.ofSeconds(2));
        unseen.hangUp();                                 // this one starts and ends entirely unseen
        talk(Duration.ofSeconds(3));                     // the link stays down a while after
        ami.restore();
        rig.awaitPbxConnected();

        awaitCrm(() -> finishedWithRecording(before.number) && finishedWithRecording(unseen.number));
        for (Timed t : List.of(before, unseen)) {
            CallView v = one(t.number);
            assertEquals("200", v.statusCode());
            assertTrue(Math.abs(v.duration() - t.talked()) <= TOLERANCE_SECONDS,
                    t.number + " talked " + t.talked() + " s; the CRM says " + v.duration() + " s (the cut lasted "
                            + "about 7 s: none of it is talk)");
            assertNotNull(v.record());
        }
    }

    /** Waits for the CRM to have the calls; on a timeout says what it has, and what the jobs did. */
    private void awaitCrm(java.util.function.BooleanSupplier done) throws InterruptedException {
        try {
            SpineRig.await(Duration.ofSeconds(60), () -> {
                try {
                    return done.getAsBoolean();
                } catch (AssertionError e) {
                    return false; // a call seen twice: reported below
                }
            }, "the calls in the CRM");
        } catch (AssertionError e) {
            throw new AssertionError("the CRM has " + summary() + "; jobs: " + rig.app.get("/api/jobs").body(), e);
        }
    }

    private boolean finished(String number) {
        List<CallView> found = rig.calls(v -> number.equals(v.phoneNumber()));
        return found.size() == 1 && found.getFirst().finished();
    }

    private boolean finishedWithRecording(String number) {
        return finished(number) && one(number).record() != null;
    }

    private CallView one(String number) {
        List<CallView> found = rig.calls(v -> number.equals(v.phoneNumber()));
        assertEquals(1, found.size(), "one call in the CRM for " + number + ": " + found);
        return found.getFirst();
    }

    private String summary() {
        return rig.emu.state().calls().stream().filter(v -> v.phoneNumber().startsWith("+799941")
                || v.phoneNumber().startsWith("+799940")).map(v -> v.phoneNumber() + "=" + v.status() + "/"
                + v.duration() + "s/rec " + (v.record() != null)).toList().toString();
    }
}
