package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;
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
import io.b24bridge.testkit.bitrix.Activity;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.CrmEntity;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real calls through a real Asterisk 22 (real PJSIP between the carrier, the PBX and the phones), followed by
 * the appliance over AMI, delivered to the Bitrix24 box emulator: what a manager sees in the CRM.
 */
class CallSpineRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(20);

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
    void aKnownClientAnsweredByTheExtensionTheDidRings(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        // +7 916 200-00-01 is Sergey Kuznetsov, a contact of Ivan Petrov (user 2, extension 101)
        WorldCall call = pbx.placeInboundCall("4951000101", "79162000001", WorldScript.staysUntilHungUp());
        assertEquals("16", call.awaitEnd(CALL), "the call itself went normally");
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79162000001");
        assertEquals("pbx1:", c.externalCallId().substring(0, 5));
        assertEquals(2, c.type(), "incoming");
        assertEquals("4951000101", c.lineNumber());
        assertEquals("CONTACT", c.crmEntityType());
        assertTrue(c.cardLog().stream().anyMatch(e -> e.userId() == 2 && e.action().equals("SHOW")),
                "the card popped for 101's user: " + c.cardLog());
        assertTrue(c.finished());
        assertEquals(2, c.finishUserId());
        assertEquals("200", c.statusCode());
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time, not ring time: " + c.duration());
        assertEquals(List.of(), c.cardVisibleTo(), "no card left open");
        Activity activity = rig.emu.state().activitiesOf(c.callId()).getFirst();
        assertEquals(2, activity.responsibleId());
        assertNotNull(activity.record(), "the recording is attached to the activity");
        assertEquals(1, c.registerCount(), "registered once");
    }

    @Test
    void anUnknownNumberBecomesALeadWithTheRoutesSource(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79990001122", WorldScript.staysUntilHungUp());
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79990001122");
        assertNotNull(c.createdLeadId(), "a lead was created");
        CrmEntity lead = rig.emu.state().lead(c.createdLeadId()).orElseThrow();
        assertEquals("DID_74951234567", lead.fields().get("SOURCE_ID"), "the DID's lead source (call tracking)");
        assertEquals(2, Integer.parseInt(String.valueOf(lead.fields().get("ASSIGNED_BY_ID"))),
                "the operator who talked owns the new lead");
    }

    @Test
    void aRingGroupWhereTheSecondExtensionAnswers(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        pbx.phone("102", answers(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        WorldCall call = pbx.placeInboundCall("4951000200", "79990002233", WorldScript.staysUntilHungUp());
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79990002233");
        List<String> cards = c.cardLog().stream().map(e -> e.action() + " " + e.userId()).toList();
        assertTrue(cards.indexOf("SHOW 2") >= 0 && cards.indexOf("SHOW 3") >= 0, "both rang, both saw it: " + cards);
        assertTrue(cards.indexOf("HIDE 2") > cards.indexOf("SHOW 3"), "101's card closed when 102 answered: " + cards);
        assertEquals(3, c.finishUserId(), "102 talked");
        assertEquals("200", c.statusCode());
    }

    @Test
    void aMissedCallIsFinishedOnTheRoutesDefaultResponsible(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        WorldCall call = pbx.placeInboundCall("4951000101", "79990003344", WorldScript.hangsUpWhileRinging(
                Duration.ofSeconds(4)));
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79990003344");
        assertEquals("304", c.statusCode());
        assertEquals(4, c.finishUserId(), "the route's default responsible (user 4)");
        assertEquals(0, c.duration());
        assertEquals(List.of(), c.cardVisibleTo());
    }

    @Test
    void anOutboundCallFromAPhone(AsteriskPair pbx) throws Exception {
        pbx.outside("79162000002", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        WorldCall call = pbx.placePhoneCall("101", "79162000002", WorldScript.staysUntilHungUp());
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79162000002");
        assertEquals(1, c.type(), "outgoing");
        assertEquals(2, c.userId(), "registered for 101's user");
        assertEquals("200", c.statusCode());
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time: " + c.duration());
    }

    @Test
    void aBlindTransferMakesTheNewExtensionTheOperator(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.phone("102", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79990004455", WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(CALL));
        Thread.sleep(2000);
        pbx.world().phoneDtmf("101", "#1");
        Thread.sleep(1500); // the PBX says "transfer" before it listens for the number
        pbx.world().phoneDtmf("101", "102");
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79990004455");
        assertEquals(3, c.finishUserId(), "the call ended with 102");
        assertEquals("200", c.statusCode());
        assertTrue(c.duration() >= 4, "both operators' talk counts: " + c.duration());
        assertTrue(c.cardLog().stream().anyMatch(e -> e.userId() == 3 && e.action().equals("SHOW")), c.cardLog().toString());
        assertEquals(List.of(), c.cardVisibleTo());
    }
}
