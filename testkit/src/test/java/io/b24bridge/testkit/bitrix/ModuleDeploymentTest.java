package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the {@code with-module} deployment does beyond the contract fixtures (box-module/contract/, played by
 * {@code EmulatedModuleContractTest}): the install counts as delivered only when acknowledged, outbound webhooks still
 * need the cloud, queue ids only grow across a reinstall, call.find names both calls a late repeat made, and the
 * deployment is the box's from the start.
 */
class ModuleDeploymentTest {

    @TempDir
    Path dir;
    TestBox box;
    String token;

    @BeforeEach
    void start() {
        box = TestBox.start(dir, b -> b.deployment(Deployment.WITH_MODULE).seedDemo(true)
                .moduleApplianceDn(EmulatorTls.subjectOf(TestBox.pki(dir).applianceClient(),
                        TestBox.pki(dir).password())));
        token = moduleToken();
    }

    @AfterEach
    void stop() {
        box.close();
    }

    private String moduleToken() {
        TestBox.Answer a = box.postForm(ConnectorModule.TOKEN_PATH, FormParams.encode(params(
                "grant_type", "client_credentials", "client_id", ConnectorModule.CLIENT_ID,
                "client_secret", box.emu.module().credential())));
        assertEquals(200, a.status(), a.raw());
        return a.body().path("access_token").asText();
    }

    @Test
    void theInstallIsDeliveredWhenTheApplianceAcknowledgesItNotWhenItIsPulled() throws Exception {
        Installation again = box.emu.install(); // a reinstall while the module is armed: ONAPPINSTALL once more
        TestBox.Answer pulled = box.call("b24bridge.events.pull", params(), token);
        long last = pulled.result().path("events").get(pulled.result().path("events").size() - 1).path("id").asLong();

        assertFalse(again.delivery().isDone(), "pulled is not yet delivered: the appliance may not have stored it");
        box.call("b24bridge.events.ack", params("id", last), token);
        assertTrue(again.delivery().get(30, TimeUnit.SECONDS).delivered());
    }

    @Test
    void anOutboundWebhookEventStillNeedsTheCloudWhichAnAirGappedBoxCannotReach() {
        box.emu.addWebhook(1, "hooksecret", Set.of());
        box.webhook(1, "hooksecret", "telephony.externalLine.add", params("NUMBER", "74951112233", "NAME", "w"));
        box.emu.bindOutboundWebhook("ONEXTERNALCALLSTART", "https://hooks.example.org/x");

        Dispatch d = box.emu.clickToCall(2, "+79161110101", "74951112233", null, null);

        assertEquals(CloudQueue.NOT_SENT, d.await(Duration.ofSeconds(30)).getFirst().status());
    }

    @Test
    void queueIdsOnlyGrowAcrossAReinstall() {
        long before = box.call("b24bridge.events.pull", params(), token).result().path("events").get(0)
                .path("id").asLong();
        box.emu.reset();
        long after = box.call("b24bridge.events.pull", params(), moduleToken()).result().path("events").get(0)
                .path("id").asLong();

        assertTrue(after > before, after + " after a reinstall, " + before + " before");
    }

    @Test
    void aRegisterRepeatedPastTheWindowMakesASecondCallAndCallFindNamesBoth() {
        String start = box.isoNow(Duration.ZERO);
        TestBox.Answer first = box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER",
                "+79035550001", "TYPE", 2, "CALL_START_DATE", start, "EXTERNAL_CALL_ID", "pbx1:1.1"), token);
        box.emu.clock().advance(Duration.ofMinutes(45));
        TestBox.Answer second = box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER",
                "+79035550001", "TYPE", 2, "CALL_START_DATE", start, "EXTERNAL_CALL_ID", "pbx1:1.1"), token);

        TestBox.Answer found = box.call("b24bridge.call.find", params("EXTERNAL_CALL_ID", "pbx1:1.1"), moduleToken());

        assertEquals(2, found.result().path("calls").size(), found.raw());
        // the same CALL_START_DATE: the module orders them by CALL_ID then (CallLookup.php's usort), not by creation
        assertEquals(Set.of(first.result().path("CALL_ID").asText(), second.result().path("CALL_ID").asText()),
                Set.of(found.result().path("calls").get(0).path("CALL_ID").asText(),
                        found.result().path("calls").get(1).path("CALL_ID").asText()));
    }

    @Test
    void theModuleIsTheBoxsFromTheStartNotASwitch() {
        assertThrows(IllegalArgumentException.class, () -> box.emu.settings().deployment(Deployment.AIR_GAPPED));
        assertEquals(401, box.call("app.info", params(), box.tokens.accessToken()).status(),
                "a token of the OAuth server meets the unreachable cloud");
    }
}
