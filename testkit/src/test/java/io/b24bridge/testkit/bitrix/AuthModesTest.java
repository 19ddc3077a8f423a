package io.b24bridge.testkit.bitrix;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Auth on a box (§1, §5.6, §5.10): application tokens that expire and are renewed at the token endpoint (which
 * may be out of reach), inbound webhooks, and the current box that refuses webhooks for externalCall methods.
 */
class AuthModesTest {

    @TempDir
    static Path dir;
    static TestBox box;
    static final String SECRET = "s3cretwebhook";

    @BeforeAll
    static void start() {
        box = TestBox.start(dir, b -> b.application("local.test.1", "client-secret-1")
                .webhook(2, SECRET, Set.of()));
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @BeforeEach
    void fresh() {
        box.emu.reset();
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(User.of(2, "Ivan", "101", null));
        box.emu.addContact("Anna", "M", 2, null, "+79035550002");
    }

    private static Map<String, Object> registerParams() {
        return params("USER_ID", 2, "PHONE_NUMBER", "+79035550002", "TYPE", 2);
    }

    @Test
    void aRequestWithoutAuthIsNoAuthFound() {
        TestBox.Answer a = box.call("telephony.externalcall.register", registerParams(), null);
        assertEquals(401, a.status());
        assertEquals("NO_AUTH_FOUND", a.error());
    }

    @Test
    void anUnknownTokenIsInvalidToken() {
        TestBox.Answer a = box.call("user.get", Map.of(), "0123456789abcdef");
        assertEquals(401, a.status());
        assertEquals("invalid_token", a.error());
    }

    @Test
    void s5_10_anExpiredTokenIsExpiredTokenAndNothingIsExecuted() {
        box.emu.clock().advance(Duration.ofSeconds(3600));

        TestBox.Answer a = box.call("telephony.externalcall.register", registerParams());

        assertEquals(401, a.status());
        assertEquals("expired_token", a.error());
        assertEquals("The access token provided has expired.", a.description());
        assertTrue(box.emu.state().calls().isEmpty());
    }

    @Test
    void s5_10_tokenLifetimeIsSetInSecondsOverTheControlApi() {
        assertEquals(200, box.postJson("/_emulator/settings", Map.of("tokenLifetimeSeconds", 2)).status());
        Tokens shortLived = box.emu.issueTokens(1);
        assertEquals(200, box.call("user.get", Map.of(), shortLived.accessToken()).status());

        box.emu.clock().advance(Duration.ofSeconds(2));

        assertEquals("expired_token", box.call("user.get", Map.of(), shortLived.accessToken()).error());
    }

    private TestBox.Answer refresh(String url, String clientSecret, String refreshToken) {
        String q = "?grant_type=refresh_token&client_id=local.test.1&client_secret=" + enc(clientSecret)
                + "&refresh_token=" + enc(refreshToken);
        return box.send(HttpRequest.newBuilder(URI.create(url + q)).GET());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void theRefreshTokenBuysANewPairAtTheBoxsTokenEndpointOnce() {
        box.emu.clock().advance(Duration.ofSeconds(3700));
        assertEquals("expired_token", box.call("user.get", Map.of()).error());

        TestBox.Answer r = refresh(box.emu.tokenUrl(), "client-secret-1", box.tokens.refreshToken());

        assertEquals(200, r.status(), r.toString());
        JsonNode t = r.body();
        assertEquals(3600, t.path("expires_in").asInt());
        assertEquals(box.emu.baseUrl() + "/rest/", t.path("client_endpoint").asText());
        assertTrue(t.path("server_endpoint").asText().endsWith(":" + box.emu.oauthPort() + "/rest/"));
        assertNotEquals(box.tokens.refreshToken(), t.path("refresh_token").asText());
        assertEquals(200, box.call("user.get", Map.of(), t.path("access_token").asText()).status());
        TestBox.Answer again = refresh(box.emu.tokenUrl(), "client-secret-1", box.tokens.refreshToken());
        assertEquals(400, again.status());
        assertEquals("invalid_grant", again.error(), "a refresh token is spent by its use");
    }

    @Test
    void aWrongClientSecretIsInvalidClient() {
        TestBox.Answer r = refresh(box.emu.tokenUrl(), "guess", box.tokens.refreshToken());
        assertEquals(401, r.status());
        assertEquals("invalid_client", r.error());
    }

    @Test
    void theSeparateOauthServerCanAnswer503OrBeUnreachableLikeAnAirGappedLan() throws Exception {
        assertEquals(200, refresh(box.emu.oauthTokenUrl(), "client-secret-1", box.tokens.refreshToken()).status());

        box.emu.faults().oauth(Faults.OAuthState.UNAVAILABLE);
        TestBox.Answer down = refresh(box.emu.oauthTokenUrl(), "client-secret-1", box.emu.issueTokens(1).refreshToken());
        assertEquals(503, down.status());

        box.emu.faults().oauth(Faults.OAuthState.REFUSED);
        Exception refused = assertThrows(Exception.class, () -> box.http.send(HttpRequest.newBuilder(
                URI.create(box.emu.oauthTokenUrl() + "?grant_type=refresh_token")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                "connection refused: " + refused);
        assertThrows(java.io.IOException.class, () -> box.http.send(HttpRequest.newBuilder(
                URI.create(box.emu.tokenUrl() + "?grant_type=refresh_token")).build(),
                HttpResponse.BodyHandlers.ofString()), "the box's own endpoint drops the connection");
        assertEquals(200, box.call("user.get", Map.of()).status(), "REST itself is not affected");

        box.emu.faults().oauth(Faults.OAuthState.UP);
        assertEquals(200, refresh(box.emu.oauthTokenUrl(), "client-secret-1", box.emu.issueTokens(1).refreshToken())
                .status(), "the OAuth server is back on the same port");
    }

    @Test
    void s5_6_aCurrentBoxRefusesWebhookAuthForEveryExternalCallMethod() {
        String callId = box.register(2, "+79035550002");
        for (String method : new String[] {"telephony.externalcall.register", "telephony.externalcall.finish",
                "telephony.externalcall.show", "telephony.externalcall.hide", "telephony.externalCall.attachRecord",
                "telephony.externalLine.add", "telephony.externalLine.get"}) {
            TestBox.Answer a = box.webhook(2, SECRET, method, params("CALL_ID", callId, "USER_ID", 2,
                    "PHONE_NUMBER", "+79035550002", "TYPE", 2, "NUMBER", "1", "FILENAME", "a.mp3"));
            assertEquals(403, a.status(), method + ": " + a);
            assertEquals("WRONG_AUTH_TYPE", a.error(), method);
            assertEquals("Current authorization type is denied for this method", a.description());
        }
        assertEquals(1, box.emu.state().calls().size());
        assertTrue(!box.emu.state().calls().getFirst().finished());
    }

    @Test
    void aCurrentBoxStillServesSearchAndCrmMethodsToWebhooks() {
        TestBox.Answer search = box.webhook(2, SECRET, "telephony.externalCall.searchCrmEntities",
                params("PHONE_NUMBER", "+79035550002"));
        assertEquals(200, search.status(), search.toString());
        assertEquals("CONTACT", search.result().get(0).path("CRM_ENTITY_TYPE").asText());
        assertEquals(200, box.webhook(2, SECRET, "user.get", Map.of()).status());
        assertEquals(200, box.webhook(2, SECRET, "profile", Map.of()).status());
    }

    @Test
    void anOlderBoxAcceptsWebhooksForTheWholeCallLifecycle() {
        box.emu.settings().mode(Mode.OLDER);

        TestBox.Answer reg = box.webhook(2, SECRET, "telephony.externalcall.register", registerParams());
        assertEquals(200, reg.status(), reg.toString());
        String callId = reg.result().path("CALL_ID").asText();
        TestBox.Answer fin = box.webhook(2, SECRET, "telephony.externalcall.finish",
                params("CALL_ID", callId, "USER_ID", 2, "DURATION", 12));

        assertEquals(200, fin.status(), fin.toString());
        assertEquals("webhook:2", box.emu.state().call(callId).orElseThrow().principal());
        assertTrue(box.emu.state().call(callId).orElseThrow().finished());
    }

    @Test
    void aWrongWebhookSecretOrUserIsInvalidCredentials() {
        assertEquals("INVALID_CREDENTIALS", box.webhook(2, "nope", "user.get", Map.of()).error());
        TestBox.Answer wrongUser = box.webhook(3, SECRET, "user.get", Map.of());
        assertEquals(401, wrongUser.status());
        assertEquals("INVALID_CREDENTIALS", wrongUser.error());
    }

    @Test
    void aWebhookWithoutTheScopeIsInsufficientScope() {
        box.emu.addWebhook(2, "crmonly", Set.of("crm"));
        TestBox.Answer a = box.webhook(2, "crmonly", "user.get", Map.of());
        assertEquals(403, a.status());
        assertEquals("insufficient_scope", a.error());
        assertEquals(200, box.webhook(2, "crmonly", "crm.contact.list", Map.of()).status());
    }

    @Test
    void anUnknownMethodIsMethodNotFound() {
        TestBox.Answer a = box.call("crm.deal.fly", Map.of());
        assertEquals(404, a.status());
        assertEquals("ERROR_METHOD_NOT_FOUND", a.error());
    }
}
