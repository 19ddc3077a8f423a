package io.b24bridge.bitrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.ExternalLine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each routed DID is an external line in Bitrix24, named after its route: added when the routes are saved, never
 * twice, and a line the box already has (a register named the DID) is taken as it is.
 */
class ExternalLinesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    BoxEmulator emu;
    TestAppliance app;

    @BeforeEach
    void start() {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.withModule(pki).seedDemo(true).build().start();
        app = TestAppliance.start(dir, EmulatedBox.moduleSection(emu, dir.resolve("secrets/module-credential")));
    }

    @AfterEach
    void stop() {
        app.close();
        emu.stop();
    }

    @Test
    void eachRoutedDidGetsItsNamedLineOnceAndAnExistingLineIsSuccess() throws Exception {
        // a call registered on DID 74950000002 before the routes named it: the box made that line itself
        app.appliance().box().client().call("telephony.externalcall.register", Params.of().put("USER_ID", 2)
                .put("PHONE_NUMBER", "+79035550001").put("TYPE", 2).put("LINE_NUMBER", "74950000002"));
        assertEquals(200, app.put("/api/settings/inbound-routes", """
                {"routes": [
                  {"did": "74951234567", "name": "Ads", "defaultResponsibleUserId": 2, "crmCreate": false},
                  {"did": "74950000002", "name": "Support", "defaultResponsibleUserId": 2},
                  {"did": "_7496XXXXXXX", "name": "Region", "defaultResponsibleUserId": 2}
                ]}""").statusCode());

        // the start's check and the save's run one after the other, in either order: the line is "added" by the
        // first of them that sees the routes and "present" for the next
        await("the lines checked after the save").atMost(WAIT).until(() -> (part().path("facts").path("added")
                .toString() + part().path("facts").path("present")).contains("74951234567"));
        assertEquals(1, emu.state().lines().stream().filter(l -> l.number().equals("74951234567")).count(),
                "added once");
        ExternalLine ads = line("74951234567");
        assertEquals("Ads", ads.name(), "named after its route");
        assertTrue(!ads.crmAutoCreate(), "CRM_AUTO_CREATE as the route's crmCreate");
        assertTrue(part().path("facts").path("present").toString().contains("74950000002"), part().toString());
        assertEquals("UP", part().path("state").asText(), part().toString());

        assertEquals(200, app.put("/api/settings/inbound-routes", """
                {"routes": [
                  {"did": "74951234567", "name": "Ads", "defaultResponsibleUserId": 2, "crmCreate": false},
                  {"did": "74950000002", "name": "Support", "defaultResponsibleUserId": 2},
                  {"did": "74950000003", "name": "Promo", "defaultResponsibleUserId": 2}
                ]}""").statusCode());
        await("the new route's line").atMost(WAIT).until(() -> emu.state().lines().stream()
                .anyMatch(l -> l.number().equals("74950000003")));
        assertEquals(3, emu.state().lines().size(), "one line per DID, none twice, none for a pattern: "
                + emu.state().lines());
    }

    private ExternalLine line(String number) {
        return emu.state().lines().stream().filter(l -> l.number().equals(number)).findFirst().orElseThrow();
    }

    private JsonNode part() {
        try {
            return Json.newMapper().readTree(app.get("/health").body()).path("parts").path("externalLines");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
