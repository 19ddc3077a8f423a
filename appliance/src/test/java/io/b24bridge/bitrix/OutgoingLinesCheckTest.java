package io.b24bridge.bitrix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.doctor.Doctor;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.bitrix.BoxEmulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The box sends a click only to the owner of the clicking user's outgoing line (their own, else the portal's
 * default): /health's {@code outgoingLines} names the users with an extension whose line is not the appliance's —
 * another application's, a SIP trunk's — and says nothing of those on the application's pseudo-line or on one of its
 * external lines. The SIP password voximplant.user.get answers alongside never reaches /health.
 */
class OutgoingLinesCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROUTES = """
            {"routes": [{"did": "74951234567", "name": "Ads", "defaultResponsibleUserId": 2}]}""";

    @TempDir
    Path dir;
    BoxEmulator emu;
    TestAppliance app;

    @BeforeEach
    void start() {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        // the demo: users 2, 3, 4 active with extensions 101-103, the portal's default line the application's
        emu = EmulatedBox.withModule(pki).seedDemo(true).build().start();
        app = TestAppliance.start(dir, EmulatedBox.moduleSection(emu, dir.resolve("secrets/module-credential")));
    }

    @AfterEach
    void stop() {
        app.close();
        emu.stop();
    }

    @Test
    void usersOnTheApplicationsLinesAreFineAndAUserOnAnotherApplicationsLineIsNamed() throws Exception {
        await("the start's check").atMost(WAIT).until(() -> part().path("facts").has("elsewhereCount"));
        assertEquals("UP", part().path("state").asText(), part().toString());
        assertEquals(0, part().at("/facts/elsewhereCount").asInt());
        assertEquals(3, part().at("/facts/usersWithExtension").asInt(), "users 2, 3, 4; 5 is inactive");
        assertTrue(part().at("/facts/portalLineOurs").asBoolean(), part().toString());

        // one of the application's external lines, made by the routes
        assertEquals(200, app.put("/api/settings/inbound-routes", ROUTES).statusCode());
        await("the route's line").atMost(WAIT).until(() -> emu.state().lines().stream()
                .anyMatch(l -> l.number().equals("74951234567")));

        emu.setOutgoingLine(2, "74951234567");          // the application's external line: its clicks reach us
        emu.setOutgoingLine(3, emu.applicationLine());  // the application's pseudo-line: the same
        emu.setOutgoingLine(4, "REST_APP:7");           // another application's: never reaches us
        saveSettingsAgain();

        await("the check after the save").atMost(WAIT).until(() -> part().at("/facts/elsewhereCount").asInt() == 1);
        JsonNode p = part();
        assertEquals("DEGRADED", p.path("state").asText(), p.toString());
        assertEquals(List.of("user 4 Oleg Smirnov (extension 103) → REST_APP:7"),
                Json.newMapper().convertValue(p.at("/facts/elsewhere"), List.class));
        assertTrue(p.path("detail").asText().contains("telephony settings"), p.toString());
        assertFalse(p.toString().contains("sip-secret"), "the SIP passwords voximplant.user.get answers stay out");

        // doctor, beside the running appliance, says it too (from its /health)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Doctor.run(dir.resolve("b24bridge.yaml"), Map.of("B24BRIDGE_LISTENERS_ADMIN_PORT",
                String.valueOf(app.appliance().adminPort())), new PrintStream(out, true, StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("bitrix24.click-lines"))
                .findFirst().orElseThrow(() -> new AssertionError(out.toString(StandardCharsets.UTF_8)));
        assertTrue(line.startsWith("WARN") && line.contains("1 of 3 user(s)")
                && line.contains("user 4 Oleg Smirnov (extension 103) → REST_APP:7")
                && line.contains("telephony settings"), line);

        // without a line of their own, a user takes the portal's default: a SIP trunk's, here
        emu.setOutgoingLine(3, "");
        emu.setPortalOutgoingLine("reg171");
        saveSettingsAgain();
        await("the portal's default line read").atMost(WAIT).until(() -> part().at("/facts/elsewhereCount").asInt() == 2);
        p = part();
        assertEquals("reg171", p.at("/facts/portalLine").asText());
        assertFalse(p.at("/facts/portalLineOurs").asBoolean());
        assertTrue(p.at("/facts/elsewhere").toString().contains(
                "user 3 Maria Sidorova (extension 102) → reg171 (the portal's default line)"), p.toString());
        assertFalse(p.at("/facts/elsewhere").toString().contains("user 2 "), "user 2 keeps the application's line");
    }

    @Test
    void oneLookAtTheBoxTellsTheSameWithoutTheAppliancesSchedule() {
        emu.setOutgoingLine(2, "REST_APP:7");
        BoxClient client = app.appliance().box().client();
        OutgoingLinesCheck.Report r = OutgoingLinesCheck.inspect(new TelephonyApi(client), new CrmApi(client),
                Instant.now());
        assertEquals(null, r.error());
        assertEquals(List.of(2), r.elsewhere().stream().map(OutgoingLinesCheck.Elsewhere::userId).toList());
        assertTrue(r.elsewhere().getFirst().own(), "user 2's own line, not the default");
        assertEquals(List.of(emu.applicationLine()), r.ourLines());
    }

    /** Saving the settings runs the check again (it also runs every 15 minutes). */
    private void saveSettingsAgain() {
        assertEquals(200, app.put("/api/settings/inbound-routes", ROUTES).statusCode());
    }

    private JsonNode part() {
        try {
            return Json.newMapper().readTree(app.get("/health").body()).path("parts").path("outgoingLines");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
