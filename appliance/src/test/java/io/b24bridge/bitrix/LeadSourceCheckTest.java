package io.b24bridge.bitrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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
import io.b24bridge.testkit.bitrix.CrmStatus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lead sources the routes name are checked against the box when the settings are saved and at start: a missing
 * one is created (crm.status.add), one that cannot be is named in /health — a real box would otherwise give those
 * calls' leads the source CALL without a word (vi_crm_helper.php getLeadFields).
 */
class LeadSourceCheckTest {

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

    private void routes(String... didAndSource) {
        StringBuilder json = new StringBuilder("{\"routes\": [");
        for (int i = 0; i < didAndSource.length; i += 2) {
            json.append(i == 0 ? "" : ", ").append("{\"did\": \"").append(didAndSource[i]).append("\", \"name\": \"Line ")
                    .append(didAndSource[i]).append("\", \"leadSource\": \"").append(didAndSource[i + 1])
                    .append("\", \"defaultResponsibleUserId\": 1}");
        }
        assertEquals(200, app.put("/api/settings/inbound-routes", json.append("]}").toString()).statusCode());
    }

    private JsonNode part() {
        try {
            return Json.newMapper().readTree(app.get("/health").body()).path("parts").path("leadSources");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> sourcesOnTheBox() {
        return emu.state().statuses().stream().filter(x -> x.entityId().equals("SOURCE")).map(CrmStatus::statusId).toList();
    }

    @Test
    void aMissingLeadSourceIsCreatedWhenTheSettingsAreSaved() {
        routes("74951234567", "DID_74951234567", "74950000001", "PROMO_SPRING");

        await("the check after the save").atMost(WAIT).until(() -> part().path("facts").path("created").toString()
                .contains("PROMO_SPRING"));
        assertTrue(sourcesOnTheBox().contains("PROMO_SPRING"), sourcesOnTheBox().toString());
        assertEquals("UP", part().path("state").asText());
        assertTrue(part().path("facts").path("present").toString().contains("DID_74951234567"));
    }

    @Test
    void oneThatCannotBeCreatedIsNamedWithItsDidsNeverASilentCall() {
        emu.faults().operationTimeLimit(Set.of("crm.status.add"));
        routes("74950000002", "PROMO_AUTUMN");

        await("the check after the save").atMost(WAIT).until(() -> part().path("facts").path("missing")
                .has("PROMO_AUTUMN"));
        assertEquals("DEGRADED", part().path("state").asText());
        assertTrue(part().path("facts").path("missing").path("PROMO_AUTUMN").asText().contains("74950000002"),
                part().toString());
        assertTrue(!sourcesOnTheBox().contains("PROMO_AUTUMN"));
    }
}
