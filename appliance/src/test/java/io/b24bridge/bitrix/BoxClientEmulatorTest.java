package io.b24bridge.bitrix;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.certs.DevPki;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.bitrix.Activity;
import io.b24bridge.testkit.bitrix.AuthRules;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.bitrix.Faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance's box client against the box emulator (a box 26.250 as its source behaves) over real mutual TLS:
 * the local application installed by the install event the cloud queue delivers, a call's lifecycle, token
 * renewal at the OAuth server, an OAuth server the appliance or the box cannot reach, webhooks as the source and
 * as the docs have them, the rate limit, events from the queue.
 */
class BoxClientEmulatorTest {

    @TempDir
    Path dir;
    BoxEmulator emu;
    TestAppliance app;

    private void start(BoxEmulator emulator, String section) {
        emu = emulator;
        app = TestAppliance.start(dir.resolve("appliance"), section);
    }

    private BoxEmulator emulator(java.util.function.UnaryOperator<io.b24bridge.testkit.bitrix.BoxEmulatorBuilder> more) {
        DevPki.Files pki = DevPki.ensure(dir.resolve("appliance").resolve("tls"), List.of("localhost", "127.0.0.1"));
        return more.apply(EmulatedBox.builder(pki).seedDemo(true)).build().start();
    }

    private void install() throws Exception {
        app.armInstall();
        assertTrue(emu.install(app.publicUri("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS).delivered(),
                "the install reached the appliance: " + emu.deliveries());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (emu != null) {
            emu.stop();
        }
    }

    private BoxClient client() {
        return app.appliance().box().client();
    }

    private JsonNode health() throws Exception {
        return Json.newMapper().readTree(app.get("/health").body());
    }

    @Test
    void aCallRegisteredFinishedAndRecordedLandsInTheCrm() throws Exception {
        BoxEmulator e = emulator(b -> b);
        start(e, EmulatedBox.applicationSection(e));
        install();
        TelephonyApi telephony = new TelephonyApi(client());

        TelephonyApi.Registered r = telephony.register(new TelephonyApi.Register(null, "101", "+79162000001",
                TelephonyApi.CallType.INCOMING, OffsetDateTime.now(), true, "DID_74951234567", "74951234567",
                "pbx1:1.0", true, null, null));
        telephony.finish(new TelephonyApi.Finish(r.callId(), null, "101", 42, "200", null, 4, false));
        Path wav = java.nio.file.Files.write(dir.resolve("call.wav"), "RIFF....WAVE".getBytes());
        telephony.attachRecord(r.callId(), "call.wav", wav);

        CallView call = emu.state().call(r.callId()).orElseThrow();
        assertEquals("FINISHED", call.status());
        assertEquals("CONTACT", call.crmEntityType(), "+7 916 200-00-01 is Sergey Kuznetsov's number");
        Activity activity = emu.state().activitiesOf(r.callId()).getFirst();
        assertEquals(42, activity.duration());
        assertEquals("200", activity.statusCode());
        assertEquals(4, activity.vote());
        assertEquals(2, activity.responsibleId(), "101 is user 2");
        assertTrue(activity.record() != null, "the recording is on the activity");
        assertEquals("VALID", health().at("/parts/bitrix24/facts/authState").asText());
    }

    @Test
    void anExpiredTokenIsRenewedAtTheOauthServer() throws Exception {
        BoxEmulator e = emulator(b -> b.tokenLifetime(Duration.ofMinutes(10)));
        start(e, EmulatedBox.applicationSection(e));
        install();
        emu.clock().advance(Duration.ofMinutes(11)); // the box's clock: our token is dead there
        JsonNode profile = client().call("profile", Params.of());
        assertTrue(profile.has("ID"), profile.toString());
        assertTrue(emu.state().tokens().stream().anyMatch(t -> "refresh".equals(t.via())),
                "a refresh_token grant was made: " + emu.state().tokens());
    }

    @Test
    void anUnreachableOauthServerIsSaidPlainly() throws Exception {
        BoxEmulator e = emulator(b -> b.tokenLifetime(Duration.ofMinutes(10)));
        // the appliance renews at the OAuth server, which it cannot reach
        start(e, EmulatedBox.applicationSection(e));
        install();
        assertTrue(client().call("profile", Params.of()).has("ID"), "the box checked the token (and keeps it an hour)");
        emu.faults().oauth(Faults.OAuthState.REFUSED);
        emu.clock().advance(Duration.ofMinutes(11)); // the box's clock: our token is dead there
        BoxException ex = assertThrows(BoxException.class, () -> client().call("profile", Params.of()));
        assertTrue(ex instanceof BoxException.Auth, ex.toString());
        JsonNode h = health();
        assertEquals("DOWN", h.at("/parts/bitrix24/state").asText());
        assertEquals("REFRESH_FAILED", h.at("/parts/bitrix24/facts/authState").asText());
        assertTrue(h.at("/parts/bitrix24/detail").asText().contains("token-endpoint"), h.toString());
        assertEquals("DEGRADED", h.path("status").asText(), "the box being away does not make the appliance DOWN");
    }

    @Test
    void aBoxThatRefusesWebhooksAsTheDocsSayIsReportedWithWhatToDo() throws Exception {
        BoxEmulator e = emulator(b -> b.authRules(AuthRules.DOCS).webhook(1, "hooksecret", Set.of("telephony", "crm", "user")));
        start(e, EmulatedBox.webhookSection(e, 1, "hooksecret"));
        // the keep-alive's first question (profile, which a webhook may ask) goes at the start and succeeds: the
        // refusal must come after the client took its answer, or that answer would clear it
        await().atMost(Duration.ofSeconds(30)).until(() -> client().status().lastSuccess() != null);
        BoxException ex = assertThrows(BoxException.class, () -> new TelephonyApi(client()).register(
                new TelephonyApi.Register(1, null, "+79162000001", TelephonyApi.CallType.INCOMING, null, false, null,
                        null, "pbx1:2.0", false, null, null)));
        assertEquals("WRONG_AUTH_TYPE", ex.code());
        JsonNode h = health();
        assertEquals("REFUSED", h.at("/parts/bitrix24/facts/authState").asText());
        assertTrue(h.at("/parts/bitrix24/detail").asText().contains("bitrix24.auth to application"), h.toString());
    }

    @Test
    void aBoxTakesWebhooksForTelephonyAsItsSourceDoes() throws Exception {
        BoxEmulator e = emulator(b -> b.webhook(1, "hooksecret", Set.of("telephony", "crm", "user")));
        start(e, EmulatedBox.webhookSection(e, 1, "hooksecret"));
        TelephonyApi.Registered r = new TelephonyApi(client()).register(new TelephonyApi.Register(1, null,
                "+79162000001", TelephonyApi.CallType.INCOMING, null, false, null, null, "pbx1:3.0", false, null, null));
        assertTrue(emu.state().call(r.callId()).isPresent());
    }

    @Test
    void theClientFollowsTheBoxesRateLimitAndLosesNothing() throws Exception {
        BoxEmulator e = emulator(b -> b.rateLimit(5, 10));
        start(e, EmulatedBox.applicationSection(e));
        install();
        TelephonyApi telephony = new TelephonyApi(client());
        int registered = 0;
        for (int i = 0; i < 30; i++) {
            while (true) {
                try {
                    telephony.register(new TelephonyApi.Register(null, "101", "+7916300" + String.format("%04d", i),
                            TelephonyApi.CallType.INCOMING, null, false, null, null, "pbx1:r" + i, false, null, null));
                    registered++;
                    break;
                } catch (BoxException.Retryable limited) {
                    assertEquals("QUERY_LIMIT_EXCEEDED", limited.code());
                }
            }
        }
        assertEquals(30, registered);
        assertTrue(client().status().allowedRatePerSecond() <= 12.5, "the client slowed from its configured 50/s "
                + "towards the box's 10/s: " + client().status().allowedRatePerSecond());
    }

    @Test
    void theInstallBindsClicksAndCallbackFormsToTheConfiguredPublicEventsUrlOnce() throws Exception {
        BoxEmulator e = emulator(b -> b);
        String section = EmulatedBox.applicationSection(e).replace("    token-endpoint:",
                "    events-url: https://edge.corp.example/bitrix24/events\n    token-endpoint:");
        start(e, section);
        install();
        install(); // installed again: bound already, not twice

        assertEquals(List.of("https://edge.corp.example/bitrix24/events"),
                new CrmApi(client()).boundEvents().get("ONEXTERNALCALLSTART"), "clicks come to the edge proxy");
        assertEquals(List.of("https://edge.corp.example/bitrix24/events"),
                new CrmApi(client()).boundEvents().get("ONEXTERNALCALLBACKSTART"), "so do callback forms");
    }

    @Test
    void aClickInTheCrmReachesTheApplianceAsAnEvent() throws Exception {
        BoxEmulator e = emulator(b -> b);
        start(e, EmulatedBox.applicationSection(e));
        install();
        new CrmApi(client()).bindEvent("OnExternalCallStart", app.publicUri("/bitrix24/events"));
        assertTrue(new CrmApi(client()).boundEvents().containsKey("ONEXTERNALCALLSTART"));
        List<BoxEvent> seen = new CopyOnWriteArrayList<>();
        app.appliance().box().events().addListener(seen::add);
        emu.clickToCall(2, "+79162000001").await(Duration.ofSeconds(10));
        await("the click handled from the inbox").atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        assertEquals(BoxEvent.EXTERNAL_CALL_START, seen.getFirst().name());
        assertEquals("", seen.getFirst().data().get("EXTENSION"), "the dialled number's extension: it has none");
        assertEquals("2", seen.getFirst().data().get("USER_ID"), "who clicked");
        assertTrue(seen.getFirst().data().get("CALL_ID").startsWith("externalCall."), seen.toString());
    }

    @Test
    void aBoxThatCannotReachItsOauthServerIsWaitedForNeverAFatalError() throws Exception {
        BoxEmulator e = emulator(b -> b.tokenLifetime(Duration.ofHours(3)));
        start(e, EmulatedBox.applicationSection(e));
        install();
        assertTrue(client().call("profile", Params.of()).has("ID"));
        // the box loses its internet; an hour later its cache of checked tokens is empty
        emu.settings().deployment(Deployment.AIR_GAPPED);
        emu.clock().advance(Duration.ofMinutes(61));

        BoxException ex = assertThrows(BoxException.class, () -> new TelephonyApi(client()).register(
                new TelephonyApi.Register(null, "101", "+79162000001", TelephonyApi.CallType.INCOMING, null, false,
                        null, null, "pbx1:4.0", false, null, null)));

        assertEquals("CONNECTION_ERROR", ex.code());
        assertTrue(ex instanceof BoxException.Auth, "wait, alarm, retry — not a dead letter: " + ex);
        JsonNode h = health();
        assertEquals("DOWN", h.at("/parts/bitrix24/state").asText());
        assertTrue(h.at("/parts/bitrix24/detail").asText().contains("OAuth server"), h.toString());
        emu.settings().deployment(Deployment.CLOUD_CONNECTED);
        assertTrue(new TelephonyApi(client()).register(new TelephonyApi.Register(null, "101", "+79162000001",
                TelephonyApi.CallType.INCOMING, null, false, null, null, "pbx1:4.0", false, null, null)).callId()
                .startsWith("externalCall."), "the same command goes through once the box is connected again");
    }
}
