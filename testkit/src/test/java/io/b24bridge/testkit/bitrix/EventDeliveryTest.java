package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * §3 and §5.11: what the box POSTs by itself — the install, OnExternalCallStart, OnExternalCallBackStart —
 * form-encoded over HTTPS with the box's client certificate, carrying auth[application_token]; failed
 * deliveries retried a few times.
 */
class EventDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestBox box;
    static EventHandlerServer appliance;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir);
        appliance = new EventHandlerServer(box.pki);
    }

    @AfterAll
    static void stop() {
        box.close();
        appliance.close();
    }

    @BeforeEach
    void fresh() {
        box.emu.reset();
        box.emu.addUser(User.of(2, "Ivan", "101", "+79161110101"));
        box.emu.addContact("Anna", "M", 2, null, "+79035550002");
    }

    @AfterEach
    void drain() {
        appliance.drain();
        appliance.clearAnswers();
    }

    /** Installs the application (ONAPPINSTALL to the handler) and takes its tokens, as the appliance would. */
    private EventHandlerServer.Received install() {
        box.emu.install(appliance.url("/bitrix24/events"));
        EventHandlerServer.Received r = appliance.next(WAIT);
        box.tokens = new Tokens(Args.str(r.section("auth").get("access_token")),
                Args.str(r.section("auth").get("refresh_token")), null, 1);
        return r;
    }

    private void bind(String event) {
        TestBox.Answer a = box.call("event.bind", params("event", event, "handler", appliance.url("/bitrix24/events")));
        assertEquals(200, a.status(), a.toString());
    }

    @Test
    void theInstallPostsOnAppInstallWithTheFirstTokensAndTheApplicationToken() {
        EventHandlerServer.Received r = install();

        assertEquals("ONAPPINSTALL", r.text("event"));
        Map<String, Object> auth = r.section("auth");
        for (String key : List.of("access_token", "refresh_token", "application_token", "client_endpoint",
                "server_endpoint", "member_id", "expires_in", "expires", "domain", "scope", "status", "user_id")) {
            assertTrue(auth.containsKey(key) && !Args.str(auth.get(key)).isEmpty(), "auth[" + key + "] in " + auth.keySet());
        }
        assertEquals(box.emu.baseUrl() + "/rest/", auth.get("client_endpoint"));
        assertEquals("3600", auth.get("expires_in"));
        assertTrue(r.clientSubject().contains("CN=bitrix24 box client"), "the box presents its client certificate");
        assertTrue(box.emu.state().application().installed());
        assertEquals(200, box.call("app.info", Map.of()).status(), "the install tokens work");
        assertTrue(box.call("app.info", Map.of()).result().path("INSTALLED").asBoolean());
    }

    @Test
    void clickToCallRegistersTheCallItselfAndPostsOnExternalCallStart() {
        String appToken = Args.str(install().section("auth").get("application_token"));
        bind("OnExternalCallStart");

        Dispatch d = box.emu.clickToCall(2, "+79035550002", "74951234567", null, null);
        EventHandlerServer.Received r = appliance.next(WAIT);

        assertEquals("ONEXTERNALCALLSTART", r.text("event"));
        assertEquals(String.valueOf(box.emu.state().events().getFirst().id()), r.text("event_handler_id"));
        assertTrue(r.text("ts").matches("\\d+"));
        Map<String, Object> data = r.section("data");
        assertEquals(d.callId(), data.get("CALL_ID"));
        assertEquals("+79035550002", data.get("PHONE_NUMBER"));
        assertEquals("+79035550002", data.get("PHONE_NUMBER_INTERNATIONAL"));
        assertEquals("101", data.get("EXTENSION"));
        assertEquals("2", data.get("USER_ID"));
        assertEquals("0", data.get("CALL_LIST_ID"));
        assertEquals("74951234567", data.get("LINE_NUMBER"));
        assertEquals("0", data.get("IS_MOBILE"));
        assertEquals("CONTACT", data.get("CRM_ENTITY_TYPE"));
        Map<String, Object> auth = r.section("auth");
        assertEquals(appToken, auth.get("application_token"));
        String eventToken = Args.str(auth.get("access_token"));
        assertNotEquals(box.tokens.accessToken(), eventToken, "every event carries fresh tokens");

        CallView call = box.emu.state().call(d.callId()).orElseThrow();
        assertEquals("click-to-call", call.origin());
        assertEquals("", call.externalCallId());
        assertEquals(List.of(2), call.cardVisibleTo());
        assertEquals(200, box.call("telephony.externalcall.finish", params("CALL_ID", d.callId(), "USER_ID", 2,
                "DURATION", 20), eventToken).status(), "finish the call the box registered, with the event's token");
        assertTrue(d.await(WAIT).getFirst().delivered());
    }

    @Test
    void noEventReachesTheApplicationBeforeItIsInstalled() {
        box.tokens = box.emu.issueTokens(1);
        bind("ONEXTERNALCALLSTART");

        Dispatch d = box.emu.clickToCall(2, "+79035550002");

        assertTrue(d.deliveries().isEmpty());
        assertTrue(box.emu.deliveries().isEmpty());
    }

    @Test
    void aCallbackFormPostsOnExternalCallBackStartWithItsLead() {
        install();
        bind("OnExternalCallBackStart");

        TestBox.Answer a = box.postJson("/_emulator/callback",
                Map.of("phone", "+79990001111", "text", "Please call me back", "lineNumber", "74957654321"));
        assertEquals(200, a.status(), a.toString());
        EventHandlerServer.Received r = appliance.next(WAIT);

        assertEquals("ONEXTERNALCALLBACKSTART", r.text("event"));
        Map<String, Object> data = r.section("data");
        assertEquals("+79990001111", data.get("PHONE_NUMBER"));
        assertEquals("Please call me back", data.get("TEXT"));
        assertEquals("74957654321", data.get("LINE_NUMBER"));
        assertEquals("LEAD", data.get("CRM_ENTITY_TYPE"));
        CrmEntity lead = box.emu.state().lead(Integer.parseInt(Args.str(data.get("CRM_ENTITY_ID")))).orElseThrow();
        assertEquals("CALLBACK", lead.field("SOURCE_ID"));
    }

    @Test
    void s5_11_aFailedDeliveryIsRetriedAndEveryAttemptIsKept() {
        install();
        bind("ONEXTERNALCALLSTART");
        appliance.answer(500, 503);

        Delivery d = box.emu.clickToCall(2, "+79035550002").await(WAIT).getFirst();

        assertTrue(d.delivered(), d.toString());
        assertEquals(List.of(500, 503, 200), d.attempts().stream().map(Delivery.Attempt::status).toList());
        assertEquals(3, appliance.drain().size(), "the handler saw every attempt");
    }

    @Test
    void s5_11_theBoxGivesUpAfterAFewAttempts() {
        install();
        bind("ONEXTERNALCALLSTART");
        appliance.answer(500, 500, 500);

        Delivery d = box.emu.clickToCall(2, "+79035550002").await(WAIT).getFirst();

        assertEquals("FAILED", d.status());
        assertEquals(3, d.attempts().size());
        String logged = Args.str(((Map<?, ?>) d.form().get("auth")).get("access_token"));
        assertTrue(logged.endsWith("***") && logged.length() == 7, "the delivery log masks tokens: " + logged);
    }

    @Test
    void anUnreachableHandlerIsRecordedAsTransportErrors() {
        install();
        box.tokens = box.emu.issueTokens(1);
        box.call("event.bind", params("event", "ONEXTERNALCALLSTART", "handler", "https://127.0.0.1:1/nowhere"));

        Delivery d = box.emu.clickToCall(2, "+79035550002").await(WAIT).getFirst();

        assertEquals("FAILED", d.status());
        assertTrue(d.attempts().getFirst().error().contains("ConnectException"), d.attempts().toString());
    }

    @Test
    void anOutboundWebhookGetsItsAuthenticationCodeAndNoTokens() {
        box.emu.bindOutboundWebhook("OnExternalCallStart", appliance.url("/bitrix24/events"));

        box.emu.clickToCall(2, "+79035550002");
        EventHandlerServer.Received r = appliance.next(WAIT);

        Map<String, Object> auth = r.section("auth");
        assertEquals(box.emu.outboundWebhookCode(), auth.get("application_token"));
        assertFalse(auth.containsKey("access_token"));
    }

    @Test
    void theControlApiInstallsAndClicksAndEventGetAndUnbindManageHandlers() {
        TestBox.Answer installed = box.postJson("/_emulator/install", Map.of("handler", appliance.url("/bitrix24/events")));
        assertEquals(200, installed.status());
        assertEquals("ONAPPINSTALL", appliance.next(WAIT).text("event"));
        box.tokens = new Tokens(installed.body().path("access_token").asText(), null, null, 1);
        bind("ONEXTERNALCALLSTART");
        assertEquals(appliance.url("/bitrix24/events"), box.call("event.get", Map.of()).result().get(0).path("handler").asText());
        assertEquals("ERROR_HANDLER_ALREADY_BINDED", box.call("event.bind", params("event", "ONEXTERNALCALLSTART",
                "handler", appliance.url("/bitrix24/events"))).error());

        TestBox.Answer click = box.postJson("/_emulator/click-to-call", Map.of("userId", 2, "phone", "+79035550002"));
        assertEquals(1, click.body().path("deliveries").asInt(), click.toString());
        assertEquals(click.body().path("callId").asText(), Args.str(appliance.next(WAIT).section("data").get("CALL_ID")));

        assertEquals(1, box.call("event.unbind", params("event", "ONEXTERNALCALLSTART",
                "handler", appliance.url("/bitrix24/events"))).result().path("count").asInt());
        assertEquals(0, box.postJson("/_emulator/click-to-call", Map.of("userId", 2, "phone", "+79035550002"))
                .body().path("deliveries").asInt());
    }
}
