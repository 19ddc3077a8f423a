package io.b24bridge.testkit.asterisk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scenario with the product's dialplan file: the base PBX hands carrier calls to [b24bridge-inbound] once
 * a {@code b24bridge.conf} defines it. Here a stand-in routes every DID to 102 and says so with a
 * UserEvent; the pair restarts for this class because its configs differ from the base.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductDialplanHookTest {

    private static final String STAND_IN = """
            [b24bridge-inbound]
            exten => _X.,1,UserEvent(B24Route,DID: ${EXTEN},Target: @TARGET@)
             same => n,Goto(internal,@TARGET@,1)
            """;

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(
            Scenario.base().named("product hook").withPbxFile("b24bridge.conf", STAND_IN.replace("@TARGET@", "102")));

    @Test
    @Order(1)
    void carrierCallsGoThroughTheProductsContext(AsteriskPair pair) throws Exception {
        assertEquals("product hook", pair.scenario().name());
        List<AmiMessage> events = new CopyOnWriteArrayList<>();
        try (AmiClient ami = AmiClient.connect(pair.pbxAmi(), Duration.ofSeconds(5), null, events::add)) {
            pair.phone("102", PhoneBehaviour.answers(Duration.ofMillis(500), Duration.ofSeconds(1)));
            WorldCall call = pair.placeInboundCall("4951000101", "79161112266", WorldScript.staysUntilHungUp());
            assertTrue(call.awaitAnswer(Duration.ofSeconds(10)));
            call.awaitEnd(Duration.ofSeconds(10));
            pair.awaitIdle(Duration.ofSeconds(10));
        }
        AmiMessage route = RecordingSession.expect(events, "UserEvent", "UserEvent", "B24Route");
        assertEquals("4951000101", route.get("DID"));
        RecordingSession.expect(events, "DialBegin", "DestChannel", "PJSIP/102-.*");
    }

    @Test
    @Order(2)
    void aReloadSwapsTheDialplanWithoutARestart(AsteriskPair pair) throws Exception {
        List<Long> pids = pair.pids();
        pair.reload(pair.scenario().withPbxFile("b24bridge.conf", STAND_IN.replace("@TARGET@", "103")));
        assertEquals(pids, pair.pids(), "same processes");
        pair.phone("103", PhoneBehaviour.answers(Duration.ofMillis(500), Duration.ofSeconds(1)));
        WorldCall call = pair.placeInboundCall("4951000101", "79161112277", WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(Duration.ofSeconds(10)));
        assertTrue(pair.world().phoneInCall("103"), "now 103 takes the DID");
        call.awaitEnd(Duration.ofSeconds(10));
    }
}
