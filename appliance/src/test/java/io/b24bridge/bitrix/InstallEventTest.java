package io.b24bridge.bitrix;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The install event (review F1, probe P6): it replaced the application's tokens — and with them event
 * authentication — for anyone who could post it. Now it is taken only while an administrator has armed installation,
 * only for tokens the configured box says belong to the configured application, and a reinstall only from the same
 * box with the same application token unless the arming says otherwise. The box is the emulator (box 26.250 as its
 * source behaves), the install comes from its cloud queue through an edge proxy, as on a connected box.
 */
class InstallEventTest {

    @TempDir
    Path dir;
    BoxEmulator emu;
    TestAppliance app;
    HttpClient boxSide;

    @BeforeEach
    void start() {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).seedDemo(true).build().start();
        app = TestAppliance.start(dir, EmulatedBox.applicationSection(emu));
        boxSide = HttpClient.newBuilder().sslContext(TestTls.context(pki.trustStore(), pki.boxClient(),
                pki.password())).build();
    }

    @AfterEach
    void stop() {
        boxSide.close();
        app.close();
        emu.stop();
    }

    private Delivery installFromTheBox() throws Exception {
        return emu.install(app.publicUri("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String form) throws Exception {
        return boxSide.send(HttpRequest.newBuilder(app.boxUri("/bitrix24/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> arm(String body) {
        return app.post("/api/bitrix24/install", body);
    }

    private JsonNode audit() throws Exception {
        return Json.newMapper().readTree(app.get("/api/audit?action=bitrix24").body()).path("entries");
    }

    @Test
    void anInstallNobodyArmedChangesNothing() throws Exception {
        assertFalse(installFromTheBox().delivered(), "refused: " + emu.deliveries());
        assertTrue(app.appliance().box().client().tokens().isEmpty());
        assertEquals("REFUSED", audit().get(0).path("outcome").asText(), audit().toString());
        assertTrue(audit().get(0).path("detail").path("reason").asText().contains("not armed"));
    }

    @Test
    void anArmedInstallTheBoxVouchesForIsTakenOnce() throws Exception {
        HttpResponse<String> armed = arm("{\"minutes\": 10}");
        assertEquals(200, armed.statusCode(), armed.body());
        assertTrue(installFromTheBox().delivered(), emu.deliveries().toString());
        assertTrue(app.appliance().box().client().tokens().isPresent());
        assertEquals("{\"armed\":false}", app.get("/api/bitrix24/install").body(), "an arming serves one install");
        assertFalse(installFromTheBox().delivered(), "a second install needs a second arming");
        JsonNode audit = audit();
        assertEquals(List.of("bitrix24.install", "bitrix24.install", "bitrix24.install.arm"),
                List.of(audit.get(0).path("action").asText(), audit.get(1).path("action").asText(),
                        audit.get(2).path("action").asText()));
        assertEquals(TestAppliance.ADMIN, audit.get(2).path("actor").asText(), "who armed it");
    }

    /** Probe P6: a forged install was answered OK and took over event authentication. */
    @Test
    void aForgedInstallIsRefusedEvenWhileArmed() throws Exception {
        arm("{\"minutes\": 10}");
        assertTrue(installFromTheBox().delivered());
        String genuine = app.appliance().box().client().tokens().orElseThrow().accessToken().revealString();
        arm("{\"minutes\": 10, \"replace\": true}");

        String attackerEvent = "event=ONEXTERNALCALLSTART&data[USER_ID]=2&data[PHONE_NUMBER]=79990000000"
                + "&ts=" + Instant.now().getEpochSecond() + "&auth[application_token]=attacker";
        assertEquals(401, post(attackerEvent).statusCode());
        HttpResponse<String> forged = post("event=ONAPPINSTALL&auth[access_token]=forged&auth[refresh_token]=forged"
                + "&auth[expires_in]=3600&auth[application_token]=attacker&auth[member_id]=evil"
                + "&auth[domain]=evil.example");
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("did not vouch"), forged.body());
        assertEquals(401, post(attackerEvent.replace("79990000000", "79990000001")).statusCode(),
                "the attacker's token is still nobody's");
        assertEquals(genuine, app.appliance().box().client().tokens().orElseThrow().accessToken().revealString(),
                "the installed tokens are untouched");
    }

    @Test
    void aReinstallWithAnotherApplicationTokenNeedsAnArmingThatSaysSo() throws Exception {
        arm("{\"minutes\": 10}");
        assertTrue(installFromTheBox().delivered());
        String first = app.appliance().box().client().tokens().orElseThrow().applicationToken().revealString();

        arm("{\"minutes\": 10}"); // the emulator makes a new application token at each install
        assertFalse(installFromTheBox().delivered());
        assertTrue(audit().get(0).path("detail").path("reason").asText().contains("application token"));
        arm("{\"minutes\": 10, \"replace\": true}");
        assertTrue(installFromTheBox().delivered());
        assertFalse(first.equals(app.appliance().box().client().tokens().orElseThrow().applicationToken()
                .revealString()));
    }
}
