package io.b24bridge.testkit.bitrix;

import java.net.URI;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events on a box with internet go through Bitrix's cloud queue (rest/lib/event/sender.php:378-381 →
 * provideroauth.php:49, yuliai/bitrix-modules@a3a2a579; docs events/index.md): POSTed by the queue's servers, with no
 * client certificate, once ("No retries"); the install with a refresh token, telephony events without one
 * (sender.php:41-45,127-130), a website visitor's callback without tokens (_includes/auth-params-in-events.md).
 * Air-gapped, nothing leaves the box.
 */
class CloudQueueTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TestBox box;
    /** A handler reachable from the internet: no client certificate asked. */
    static EventHandlerServer handler;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir);
        handler = new EventHandlerServer(box.pki);
    }

    @AfterAll
    static void stop() {
        box.close();
        handler.close();
    }

    @BeforeEach
    void fresh() {
        box.emu.reset();
        box.emu.addUser(User.of(2, "Ivan", "101", "+79161110101"));
        box.emu.addContact("Anna", "M", 2, null, "+79035550002");
    }

    @AfterEach
    void drain() {
        handler.drain();
        handler.clearAnswers();
    }

    /** Installs the application (ONAPPINSTALL to the handler) and takes its tokens, as the appliance would. */
    private EventHandlerServer.Received install() {
        box.emu.install(handler.url("/bitrix24/events"));
        EventHandlerServer.Received r = handler.next(WAIT);
        box.tokens = new Tokens(Args.str(r.section("auth").get("access_token")),
                Args.str(r.section("auth").get("refresh_token")), null, 1);
        return r;
    }

    private void bind(String event) {
        TestBox.Answer a = box.call("event.bind", params("event", event, "handler", handler.url("/bitrix24/events")));
        assertEquals(200, a.status(), a.toString());
    }

    @Test
    void rest_provider_php_107_theInstallBringsTheFirstTokensARefreshTokenAndTheApplicationToken() {
        EventHandlerServer.Received r = install();

        assertEquals("ONAPPINSTALL", r.text("event"));
        Map<String, Object> auth = r.section("auth");
        assertEquals(List.of("access_token", "expires_in", "scope", "domain", "server_endpoint", "status",
                "client_endpoint", "member_id", "refresh_token", "application_token"), List.copyOf(auth.keySet()),
                "the keys of the docs' examples, no expires, no user_id");
        assertEquals(box.emu.baseUrl() + "/rest/", auth.get("client_endpoint"));
        assertTrue(Args.str(auth.get("server_endpoint")).endsWith(":" + box.emu.oauthPort() + "/rest/"));
        assertEquals("", r.clientSubject(), "the cloud queue presents no client certificate");
        assertTrue(box.emu.state().application().installed());
        assertEquals(200, box.call("app.info", Map.of()).status(), "the install tokens work");
    }

    @Test
    void helper_php_918_clickToCallRegistersTheCallAndSendsOnExternalCallStartWithoutARefreshToken() {
        String appToken = Args.str(install().section("auth").get("application_token"));
        bind("OnExternalCallStart");

        Dispatch d = box.emu.clickToCall(2, "8 (903) 555-00-02;77", null, null, null);
        EventHandlerServer.Received r = handler.next(WAIT);

        assertEquals("ONEXTERNALCALLSTART", r.text("event"));
        assertTrue(r.text("ts").matches("\\d+"));
        Map<String, Object> data = r.section("data");
        assertEquals(d.callId(), data.get("CALL_ID"));
        assertEquals("+79035550002", data.get("PHONE_NUMBER_INTERNATIONAL"));
        assertEquals("77", data.get("EXTENSION"), "the dialled number's extension, not the user's inner number");
        assertEquals("2", data.get("USER_ID"));
        assertEquals("0", data.get("CALL_LIST_ID"));
        assertEquals("", data.get("LINE_NUMBER"));
        assertEquals("CONTACT", data.get("CRM_ENTITY_TYPE"));
        assertFalse(data.containsKey("CRM_CREATED_LEAD"), "null is not sent");
        Map<String, Object> auth = r.section("auth");
        assertEquals(appToken, auth.get("application_token"));
        assertFalse(auth.containsKey("refresh_token"), "telephony events carry no refresh token");
        assertTrue(auth.containsKey("access_token"), "a user clicked: their access token goes along");

        CallView call = box.emu.state().call(d.callId()).orElseThrow();
        assertEquals("click-to-call", call.origin());
        assertEquals(1, call.type());
        assertTrue(call.cardVisibleTo().isEmpty(), "the dialer did not ask for the card (vi_rest.php:1312)");
        assertTrue(d.await(WAIT).getFirst().delivered());
    }

    @Test
    void helper_php_937_clickToCallCreatesALeadForAnUnknownNumberUnlessTheLineSaysNo() {
        install();
        bind("OnExternalCallStart");
        box.call("telephony.externalLine.add", params("NUMBER", "74950000000", "CRM_AUTO_CREATE", "N"));

        box.emu.clickToCall(2, "+79990000001");
        Map<String, Object> noLine = handler.next(WAIT).section("data");
        box.emu.clickToCall(2, "+79990000002", "74950000000", null, null);
        Map<String, Object> lineN = handler.next(WAIT).section("data");

        assertEquals("LEAD", noLine.get("CRM_ENTITY_TYPE"), "no line: CRM_AUTO_CREATE defaults to Y");
        assertTrue(noLine.containsKey("CRM_CREATED_LEAD"));
        assertEquals("", lineN.get("CRM_ENTITY_TYPE"));
    }

    @Test
    void helper_php_968_aCallbackFormSendsOnExternalCallBackStartWithVoiceAndNoTokens() {
        install();
        bind("OnExternalCallBackStart");

        TestBox.Answer a = box.postJson("/_emulator/callback",
                Map.of("phone", "+79990001111", "text", "Please call me back", "lineNumber", "74957654321"));
        assertEquals(200, a.status(), a.toString());
        EventHandlerServer.Received r = handler.next(WAIT);

        assertEquals("ONEXTERNALCALLBACKSTART", r.text("event"));
        Map<String, Object> data = r.section("data");
        assertEquals("Please call me back", data.get("TEXT"));
        assertTrue(data.containsKey("VOICE"));
        assertEquals("LEAD", data.get("CRM_ENTITY_TYPE"));
        Map<String, Object> auth = r.section("auth");
        assertFalse(auth.containsKey("access_token"), "no user behind a website form: no tokens at all");
        assertTrue(auth.containsKey("application_token"));
    }

    @Test
    void events_index_md_noRetriesAFailedDeliveryIsOneAttempt() {
        install();
        bind("ONEXTERNALCALLSTART");
        handler.answer(500);

        Delivery d = box.emu.clickToCall(2, "+79035550002").await(WAIT).getFirst();

        assertEquals("FAILED", d.status());
        assertEquals(List.of(500), d.attempts().stream().map(Delivery.Attempt::status).toList());
        assertEquals(1, handler.drain().size());
        String logged = Args.str(((Map<?, ?>) d.form().get("auth")).get("access_token"));
        assertTrue(logged.endsWith("***") && logged.length() == 7, "the delivery log masks tokens: " + logged);
    }

    @Test
    void aHandlerThatDemandsAClientCertificateNeverGetsAnEventAnEdgeProxyInFrontDoes() throws Exception {
        try (EventHandlerServer mtls = new EventHandlerServer(box.pki, true);
             EdgeProxy edge = EdgeProxy.start(EmulatorTls.fromPkcs12(box.pki.applianceServer(), box.pki.password(),
                     box.pki.trustStore(), box.pki.boxClient()), "127.0.0.1", 0, URI.create(mtls.url("")))) {
            Delivery direct = box.emu.install(mtls.url("/bitrix24/events")).delivery().get();
            assertEquals("FAILED", direct.status());
            assertTrue(direct.attempts().getFirst().error() != null, direct.toString());

            Delivery viaEdge = box.emu.install(edge.url("/bitrix24/events")).delivery().get();

            assertTrue(viaEdge.delivered(), viaEdge.toString());
            EventHandlerServer.Received r = mtls.next(WAIT);
            assertEquals("/bitrix24/events", r.path());
            assertTrue(r.clientSubject().contains("CN=bitrix24 box client"), "the proxy's certificate: " + r.clientSubject());
            assertEquals("ONAPPINSTALL", r.text("event"));
        }
    }

    @Test
    void provideroauth_php_51_anAirGappedBoxSendsNoEventAtAll() throws Exception {
        install();
        bind("ONEXTERNALCALLSTART");
        box.emu.settings().deployment(Deployment.AIR_GAPPED);

        Delivery click = box.emu.clickToCall(2, "+79035550002").await(WAIT).getFirst();
        Installation again = box.emu.install(handler.url("/bitrix24/events"));

        assertEquals("NOT_SENT", click.status());
        assertTrue(click.attempts().isEmpty());
        assertEquals("NOT_SENT", again.delivery().get().status());
        assertNull(again.tokens());
        assertTrue(handler.drain().isEmpty(), "both deliveries ended without a POST");
    }

    @Test
    void onDemandTheQueueDeliversAnEventTwice() {
        install();
        bind("ONEXTERNALCALLSTART");
        assertEquals(200, box.postJson("/_emulator/settings", Map.of("duplicateEvents", true)).status());

        Dispatch d = box.emu.clickToCall(2, "+79035550002");
        Delivery delivered = d.await(WAIT).getFirst();

        assertEquals(2, delivered.attempts().size());
        List<EventHandlerServer.Received> got = List.of(handler.next(WAIT), handler.next(WAIT));
        assertEquals(d.callId(), Args.str(got.get(1).section("data").get("CALL_ID")));
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
    void vi_rest_php_filterApp_anOutboundWebhookGetsClicksOnlyOnALineAWebhookRegistered() {
        box.emu.addWebhook(1, "lineowner", java.util.Set.of());
        box.webhook(1, "lineowner", "telephony.externalLine.add", params("NUMBER", "74951112233"));
        box.emu.bindOutboundWebhook("OnExternalCallStart", handler.url("/bitrix24/events"));

        assertTrue(box.emu.clickToCall(2, "+79035550002").deliveries().isEmpty(), "the application's default line");
        box.emu.clickToCall(2, "+79035550002", "74951112233", null, null);
        EventHandlerServer.Received r = handler.next(WAIT);

        Map<String, Object> auth = r.section("auth");
        assertEquals(box.emu.outboundWebhookCode(), auth.get("application_token"));
        assertFalse(auth.containsKey("access_token"));
    }

    @Test
    void event_php_288_theControlApiInstallsAndClicksAndEventGetAndUnbindManageHandlers() {
        TestBox.Answer installed = box.postJson("/_emulator/install", Map.of("handler", handler.url("/bitrix24/events")));
        assertEquals(200, installed.status());
        assertEquals("ONAPPINSTALL", handler.next(WAIT).text("event"));
        box.tokens = new Tokens(installed.body().path("access_token").asText(), null, null, 1);
        bind("ONEXTERNALCALLSTART");
        assertEquals(handler.url("/bitrix24/events"), box.call("event.get", Map.of()).result().get(0).path("handler").asText());
        TestBox.Answer dup = box.call("event.bind", params("event", "ONEXTERNALCALLSTART",
                "handler", handler.url("/bitrix24/events")));
        assertEquals("ERROR_CORE", dup.error());
        assertEquals("Unable to set event handler: Handler already binded", dup.description());
        assertEquals("ERROR_WRONG_HANDLER_URL", box.call("event.bind", params("event", "ONEXTERNALCALLSTART",
                "handler", "https://localhost/events")).error(), "a handler host needs a dot (handlerhelper.php:31-51)");

        TestBox.Answer click = box.postJson("/_emulator/click-to-call", Map.of("userId", 2, "phone", "+79035550002"));
        assertEquals(1, click.body().path("deliveries").asInt(), click.toString());
        assertEquals(click.body().path("callId").asText(), Args.str(handler.next(WAIT).section("data").get("CALL_ID")));

        assertEquals(1, box.call("event.unbind", params("event", "ONEXTERNALCALLSTART",
                "handler", handler.url("/bitrix24/events"))).result().path("count").asInt());
        assertEquals(0, box.postJson("/_emulator/click-to-call", Map.of("userId", 2, "phone", "+79035550003"))
                .body().path("deliveries").asInt());
    }
}
