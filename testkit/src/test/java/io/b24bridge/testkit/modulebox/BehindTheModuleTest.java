package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.ConnectorModule;
import io.b24bridge.testkit.bitrix.Deployment;

/**
 * "Behind the module": the served PHP module keeps what the module does (its tokens, queue and methods, the box's
 * auth chain) and hands the box's own methods, and the call rows its b24bridge.call.find reads, on to the box
 * emulator — so the box's behaviour is modelled once. A register through nginx lands in the emulator as the module's
 * application; call.find on the PHP side finds it there; a click on the stub box registers there and its event carries
 * that CALL_ID; what the module refuses never reaches the emulator. Skipped where php-fpm, nginx or MariaDB are
 * missing, failing instead with {@code B24TEST_BOXMODULE_REQUIRED=1}.
 */
class BehindTheModuleTest {

    private static final Path BOX_MODULE = Path.of("..", "box-module").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BoxEmulator emu;
    private static ServedModuleBox box;
    private static String cannotRun;
    private static JsonNode vars;

    @BeforeAll
    static void start() throws Exception {
        String key = "behind-test-" + System.nanoTime();
        emu = BoxEmulator.builder().port(0).seedDemo(true).deployment(Deployment.AIR_GAPPED)
                .application(ConnectorModule.CLIENT_ID, "held-by-the-module").behindModule(key).build().start();
        try {
            box = ServedModuleBox.start(BOX_MODULE, Files.createTempDirectory("b24box-behind"), Duration.ofSeconds(90),
                    Map.of("B24BRIDGE_BEHIND_URL", emu.baseUrl(), "B24BRIDGE_BEHIND_KEY", key));
            vars = box.reset();
        } catch (IOException e) {
            cannotRun = "the served box module cannot run here: " + e.getMessage();
            if ("1".equals(System.getenv("B24TEST_BOXMODULE_REQUIRED"))) {
                throw new IllegalStateException(cannotRun + " (B24TEST_BOXMODULE_REQUIRED is set)", e);
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (box != null) {
            box.close();
        }
        emu.stop();
    }

    private static String token() {
        ObjectNode form = JSON.createObjectNode().put("grant_type", "client_credentials")
                .put("client_id", ConnectorModule.CLIENT_ID).put("client_secret", vars.path("credential").asText());
        return box.token(form, "appliance").body().path("access_token").asText();
    }

    private static ModuleBox.Answer rest(String method, Object... kv) {
        ObjectNode params = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            params.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return box.rest(method, params, "appliance");
    }

    @Test
    void aRegisterThroughTheModuleLandsInTheEmulatorAndCallFindSeesItThere() {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
        String token = token();
        ModuleBox.Answer registered = rest("telephony.externalcall.register", "auth", token, "USER_ID", 2,
                "PHONE_NUMBER", "+79035550101", "TYPE", 2, "EXTERNAL_CALL_ID", "pbx1:9.1");
        assertEquals(200, registered.status(), registered.body().toString());
        String callId = registered.body().path("result").path("CALL_ID").asText();

        CallView inEmulator = emu.state().calls().stream().filter(c -> c.callId().equals(callId)).findFirst().orElseThrow();
        assertEquals("app:" + ConnectorModule.CLIENT_ID, inEmulator.principal());
        JsonNode found = rest("b24bridge.call.find", "auth", token, "EXTERNAL_CALL_ID", "pbx1:9.1").body();
        assertEquals(callId, found.at("/result/calls/0/CALL_ID").asText(), found.toString());
        assertEquals("OPEN", found.at("/result/calls/0/STATE").asText());

        assertEquals(200, rest("telephony.externalcall.finish", "auth", token, "CALL_ID", callId, "USER_ID", 2,
                "DURATION", 12).status());
        found = rest("b24bridge.call.find", "auth", token, "EXTERNAL_CALL_ID", "pbx1:9.1").body();
        assertEquals("FINISHED", found.at("/result/calls/0/STATE").asText(), found.toString());
        assertEquals(12, found.at("/result/calls/0/DURATION").asInt());
        assertEquals(ConnectorModule.CLIENT_ID, rest("app.info", "auth", token).body().at("/result/CODE").asText(),
                "app.info stays the PHP box's: the application is its");
    }

    @Test
    void aClickOnTheBoxRegistersInTheEmulatorAndItsEventGoesThroughTheModulesQueue() {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
        String token = token();
        JsonNode pulled = rest("b24bridge.events.pull", "auth", token).body(); // the install's, out of the way
        rest("b24bridge.events.ack", "auth", token, "id", pulled.at("/result/events/0/id").asLong());

        box.box(JSON.createObjectNode().put("box", "click").put("user", 2).put("number", "+79035550102"));

        JsonNode event = rest("b24bridge.events.pull", "auth", token, "wait", 5).body().at("/result/events/0");
        assertEquals("ONEXTERNALCALLSTART", event.path("event").asText(), event.toString());
        String callId = event.at("/data/CALL_ID").asText();
        List<CallView> calls = emu.state().calls().stream().filter(c -> c.callId().equals(callId)).toList();
        assertEquals(1, calls.size(), "the box registered the click's call in the emulator: " + callId);
        assertEquals(1, calls.getFirst().type(), "an outgoing call");
    }

    @Test
    void whatTheModuleRefusesNeverReachesTheEmulator() {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
        int before = emu.requests().all().size();
        ModuleBox.Answer refused = rest("telephony.externalcall.register", "auth", "b24b1.forgedforgedforgedforgedforgedforgedforged",
                "USER_ID", 2, "PHONE_NUMBER", "+79035550103", "TYPE", 2);

        assertEquals(401, refused.status());
        assertEquals("invalid_token", refused.body().path("error").asText());
        assertEquals(before, emu.requests().all().size(), "the emulator saw nothing");
        assertTrue(emu.state().calls().stream().noneMatch(c -> c.phoneNumber().equals("+79035550103")));
    }
}
