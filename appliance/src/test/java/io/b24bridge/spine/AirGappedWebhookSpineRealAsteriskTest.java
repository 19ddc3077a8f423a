package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.CrmEntity;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call spine on a box with no internet: its OAuth server is out of reach, so no application token can be
 * checked and no event is delivered, but an inbound webhook works — box 26.250 takes webhooks for the telephony
 * methods (voximplant/classes/general/vi_rest.php:1613-1615,1717-1719) and checks them itself
 * (rest/lib/apauth/auth.php). Real calls through the real Asterisk.
 */
class AirGappedWebhookSpineRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static SpineRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = SpineRig.startAirGappedOverWebhook(dir, ASTERISK.pair());
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aKnownClientAnsweredLandsInTheCrmOverTheWebhook(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79162000001", WorldScript.staysUntilHungUp());
        assertEquals("16", call.awaitEnd(CALL));
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79162000001");
        assertEquals("webhook", c.principal(), "registered over the webhook");
        assertEquals("CONTACT", c.crmEntityType());
        assertTrue(c.cardLog().stream().anyMatch(e -> e.userId() == 2 && e.action().equals("SHOW")), c.cardLog().toString());
        assertTrue(c.finished());
        assertEquals(2, c.finishUserId());
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time: " + c.duration());
        assertEquals(1, rig.emu.state().activitiesOf(c.callId()).size());
        assertNotNull(rig.emu.state().activitiesOf(c.callId()).getFirst().record(), "the recording, over the webhook too");
        assertTrue(rig.emu.deliveries().isEmpty(), "an air-gapped box sends no event");
    }

    @Test
    void anUnknownNumberBecomesALeadWithTheRoutesSource(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79990003344", WorldScript.staysUntilHungUp());
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79990003344");
        assertNotNull(c.createdLeadId(), "a lead was created");
        CrmEntity lead = rig.emu.state().lead(c.createdLeadId()).orElseThrow();
        assertEquals("DID_74951234567", lead.fields().get("SOURCE_ID"));
    }
}
