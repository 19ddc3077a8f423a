package io.b24bridge.bitrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.certs.DevPki;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.bitrix.BoxEmulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance in {@code module} mode against the box emulator's {@code with-module} deployment (an air-gapped box
 * with the b24bridge module): tokens from the module for its credential, the box's events pulled from the module's
 * queue into the inbox — once each, in order, also those raised while the appliance was away — and the module's
 * state in /health.
 */
class ModuleLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    BoxEmulator emu;
    TestAppliance app;

    @BeforeEach
    void startBox() {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.withModule(pki).seedDemo(true).build().start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        emu.stop();
    }

    private void startAppliance() {
        app = TestAppliance.start(dir, EmulatedBox.moduleSection(emu, dir.resolve("secrets/module-credential")));
    }

    /** A row of the inbox: the event, its phone number (if any), its state and its source. */
    record Row(String event, String phone, String state, String source) {
    }

    /** The inbox as the database holds it, in the order received. */
    private List<Row> inbox() {
        List<Row> rows = new ArrayList<>();
        try (var c = app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT EVENT, PAYLOAD, STATE, SOURCE FROM BOX_EVENTS ORDER BY ID")) {
            while (rs.next()) {
                JsonNode payload = Json.newMapper().readTree(rs.getString(2));
                rows.add(new Row(rs.getString(1), payload.path("data").path("PHONE_NUMBER").asText(null),
                        rs.getString(3), rs.getString(4)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private boolean allHandled(int n) {
        List<Row> rows = inbox();
        return rows.size() == n && rows.stream().allMatch(r -> r.state().equals("HANDLED"));
    }

    private JsonNode health() {
        try {
            return Json.newMapper().readTree(app.get("/health").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theInstallComesThroughTheModulesQueueAndRestGoesWithTheModulesTokens() throws Exception {
        startAppliance();

        await("the install event handled").atMost(WAIT).until(() -> allHandled(1));
        assertEquals(new Row(BoxEvent.APP_INSTALL, null, "HANDLED", "module"), inbox().getFirst());
        JsonNode answer = app.appliance().box().client().call("telephony.externalcall.register", Params.of()
                .put("USER_ID", 2).put("PHONE_NUMBER", "+79035550001").put("TYPE", 2));
        assertTrue(answer.path("CALL_ID").asText().startsWith("externalCall."), answer.toString());
        await("the module's state read by the keep-alive").atMost(WAIT).until(() -> "armed".equals(health()
                .at("/parts/bitrix24/facts/module/state").asText()));
        JsonNode h = health();
        assertEquals("module", h.at("/parts/bitrix24/facts/authMode").asText());
        assertEquals("VALID", h.at("/parts/bitrix24/facts/authState").asText());
        assertEquals("1.0.0", h.at("/parts/bitrix24/facts/module/version").asText());
        assertEquals("UP", h.at("/parts/events/state").asText(), h.at("/parts/events").toString());
    }

    @Test
    void eventsRaisedWhileTheApplianceIsAwayArriveAfterOnceAndInOrder() throws Exception {
        emu.clickToCall(2, "+79035550001");
        emu.clickToCall(3, "+79035550002");
        emu.callbackWithoutEntity("+79035550003", "call me");

        startAppliance();

        await("install and three events handled").atMost(WAIT).until(() -> allHandled(4));
        await("the queue acknowledged").atMost(WAIT).until(() -> emu.module().queueDepth() == 0);
        assertEquals(List.of(new Row(BoxEvent.APP_INSTALL, null, "HANDLED", "module"),
                new Row(BoxEvent.EXTERNAL_CALL_START, "+79035550001", "HANDLED", "module"),
                new Row(BoxEvent.EXTERNAL_CALL_START, "+79035550002", "HANDLED", "module"),
                new Row(BoxEvent.EXTERNAL_CALLBACK_START, "+79035550003", "HANDLED", "module")), inbox());
    }

    @Test
    void eventsWhoseAcknowledgementFailedComeAgainAndAreRecognised() throws Exception {
        emu.faults().operationTimeLimit(Set.of("b24bridge.events.ack"));
        startAppliance();
        emu.clickToCall(2, "+79035550001");
        await("the click pulled again after its acknowledgement failed").atMost(WAIT).until(
                () -> health().at("/parts/events/facts/repeatsRecognisedSinceStart").asInt() >= 2);
        emu.faults().clear();
        await("the queue acknowledged").atMost(WAIT).until(() -> emu.module().queueDepth() == 0);

        assertEquals(2, inbox().size(), "the install and the click, once each: " + inbox());
        await("both handled").atMost(WAIT).until(() -> allHandled(2));
    }

    @Test
    void aWrongCredentialIsRefusedWithWhatToDoAndNothingIsTaken() throws Exception {
        startAppliance();
        await("the install handled").atMost(WAIT).until(() -> allHandled(1));
        app.close();
        String section = EmulatedBox.moduleSection(emu, dir.resolve("secrets/wrong"));
        Files.writeString(dir.resolve("secrets/wrong"), "b24bc.not-the-credential\n");
        app = TestAppliance.start(dir, section);
        emu.clickToCall(2, "+79035550001");

        await("the refusal in /health").atMost(WAIT).until(() -> "REFUSED".equals(health()
                .at("/parts/bitrix24/facts/authState").asText()));
        String detail = health().at("/parts/bitrix24/detail").asText();
        assertTrue(detail.contains("invalid_client") && detail.contains("credential-file"), detail);
        assertEquals(1, emu.module().queueDepth(), "the click waits on the box");
        assertFalse(health().at("/parts/events/facts/lastPullError").isMissingNode());
    }

    @Test
    void tokensRevokedByReArmingTheModuleAreRenewedWithoutAnyoneNoticing() throws Exception {
        startAppliance();
        await("the install handled").atMost(WAIT).until(() -> allHandled(1));
        emu.module().disarm();
        emu.module().arm(); // revokes every token; queues the install again

        JsonNode answer = app.appliance().box().client().call("telephony.externalcall.register", Params.of()
                .put("USER_ID", 2).put("PHONE_NUMBER", "+79035550001").put("TYPE", 2));

        assertTrue(answer.path("CALL_ID").asText().startsWith("externalCall."), answer.toString());
        await("the second install pulled and handled").atMost(WAIT).until(() -> allHandled(2));
    }

    /** The install decisions in the audit log, newest first: outcome and reason. */
    private List<String> installAudit() throws Exception {
        List<String> out = new ArrayList<>();
        Json.newMapper().readTree(app.get("/api/audit?action=bitrix24.install").body()).path("entries")
                .forEach(e -> {
                    if (e.path("action").asText().equals("bitrix24.install")) {
                        out.add(e.path("outcome").asText() + ": " + e.path("detail").path("reason").asText());
                    }
                });
        return out;
    }

    @Test
    void anInstallThroughTheModuleIsTakenOnlyWhileAnAdministratorArmedIt() throws Exception {
        startAppliance();
        await("the module's install pulled and judged").atMost(WAIT).until(() -> allHandled(1)
                && installAudit().size() == 1);
        assertTrue(installAudit().getFirst().startsWith("REFUSED: installation is not armed"), installAudit().toString());

        app.armInstall();
        emu.module().disarm();
        emu.module().arm(); // the box administrator installs the module's application again: the install is queued

        await("the second install taken, the module's channel its proof").atMost(WAIT).until(() -> allHandled(2)
                && installAudit().size() == 2);
        assertEquals("OK: taken", installAudit().getFirst(), installAudit().toString());
        assertTrue(app.appliance().box().installGate().orElseThrow().armed().isEmpty(), "the arming is spent");
        assertEquals(200, app.get("/health").statusCode(), "the tokens are the module's either way");
    }
}
