package io.b24bridge.spine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.bitrix.Params;
import io.b24bridge.certs.DevPki;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The air-gapped box with the b24bridge module, end to end on real parts: real calls through the real Asterisk, the
 * appliance in module mode talking only to the PHP module served by Debian's nginx (mutual TLS) and php-fpm, and behind
 * the module the box emulator answering the box's own methods. The install arrives through the module's queue; a call
 * pops a card and finishes with its recording; events raised on the box while the appliance is down arrive after,
 * once, in order. Needs php-fpm, nginx and MariaDB besides the Asterisk root: skipped without them, failing instead
 * with {@code B24TEST_BOXMODULE_REQUIRED=1}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServedModuleSpineRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static SpineRig rig;
    static String cannotRun;

    @BeforeAll
    static void start() throws Exception {
        try {
            rig = SpineRig.startServedModule(dir, ASTERISK.pair());
        } catch (IOException e) {
            cannotRun = "the served box module cannot run here: " + e.getMessage();
            if ("1".equals(System.getenv("B24TEST_BOXMODULE_REQUIRED"))) {
                throw new IllegalStateException(cannotRun + " (B24TEST_BOXMODULE_REQUIRED is set)", e);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    /** The inbox as the appliance's database holds it: event and phone number, in the order received. */
    private static List<String> inbox() throws Exception {
        List<String> rows = new ArrayList<>();
        ObjectMapper json = Json.newMapper();
        try (var c = rig.app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT EVENT, PAYLOAD, STATE, SOURCE FROM BOX_EVENTS ORDER BY ID")) {
            while (rs.next()) {
                JsonNode data = json.readTree(rs.getString(2)).path("data");
                rows.add(rs.getString(1) + (data.has("PHONE_NUMBER") ? " " + data.path("PHONE_NUMBER").asText() : "")
                        + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return rows;
    }

    @Test
    @Order(1)
    void theInstallComesThroughTheModulesQueueAndACallPopsACardAndFinishesWithItsRecording(AsteriskPair pbx)
            throws Exception {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
        SpineRig.await(SETTLE, () -> {
            try {
                return inbox().equals(List.of("ONAPPINSTALL HANDLED module"));
            } catch (Exception e) {
                return false;
            }
        }, "the install event pulled from the module's queue and handled");

        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        WorldCall call = pbx.placeInboundCall("4951000101", "79162000001", WorldScript.staysUntilHungUp());
        assertEquals("16", call.awaitEnd(CALL));
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79162000001");
        assertEquals("app:local.b24bridge.connector", c.principal(), "registered as the module's application");
        assertEquals("CONTACT", c.crmEntityType());
        assertTrue(c.cardLog().stream().anyMatch(e -> e.userId() == 2 && e.action().equals("SHOW")), c.cardLog().toString());
        assertTrue(c.finished());
        assertEquals(2, c.finishUserId());
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time: " + c.duration());
        assertNotNull(rig.emu.state().activitiesOf(c.callId()).getFirst().record(),
                "the recording went through nginx and the module to the box");
        String health = rig.app.get("/health").body();
        assertTrue(health.contains("\"authMode\":\"module\"") && health.contains("\"authState\":\"VALID\""), health);
    }

    @Test
    @Order(2)
    void eventsRaisedOnTheBoxWhileTheApplianceIsDownArriveAfterOnceAndInOrder() throws Exception {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
        String config = rig.servedModuleSection(DevPki.ensure(dir.resolve("tls"),
                List.of("localhost", "127.0.0.1")), dir) + SpineRig.pbxSection(ASTERISK.pair());
        rig.app.close();

        // the box's users click numbers in the CRM, a visitor fills a callback form: the module queues each
        rig.served.box(box("click", "user", "2", "number", "+79035550001"));
        rig.served.box(box("click", "user", "3", "number", "+79035550002"));
        rig.served.box(box("callbackForm", "number", "+79035550003", "text", "call me"));

        rig.restartAppliance(dir, config);
        SpineRig.await(SETTLE, () -> {
            try {
                return inbox().size() == 4 && inbox().stream().allMatch(r -> r.contains("HANDLED"));
            } catch (Exception e) {
                return false;
            }
        }, "the three events pulled after the restart and handled");
        assertEquals(List.of("ONAPPINSTALL HANDLED module",
                "ONEXTERNALCALLSTART +79035550001 HANDLED module",
                "ONEXTERNALCALLSTART +79035550002 HANDLED module",
                "ONEXTERNALCALLBACKSTART +79035550003 HANDLED module"), inbox());
        SpineRig.await(SETTLE, () -> {
            try {
                return rig.app.appliance().box().client().call("b24bridge.status", Params.of())
                        .path("queue_depth").asInt(-1) == 0;
            } catch (Exception e) {
                return false;
            }
        }, "the module's queue acknowledged (b24bridge.status)");
        assertEquals(4, inbox().size(), "nothing stored twice");
        assertTrue(rig.calls(v -> v.phoneNumber().equals("+79035550001")).size() == 1,
                "the click registered its call on the box behind the module");
    }

    private static ObjectNode box(String action, String... kv) {
        var node = new ObjectMapper().createObjectNode().put("box", action);
        for (int i = 0; i < kv.length; i += 2) {
            node.put(kv[i], kv[i + 1]);
        }
        return node;
    }
}
