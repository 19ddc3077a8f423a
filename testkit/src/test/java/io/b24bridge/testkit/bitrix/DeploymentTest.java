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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Application auth on a cloud-connected and an air-gapped box, as {@code rest/lib/oauth/auth.php} of box 26.250
 * does it (yuliai/bitrix-modules@a3a2a579): a new access token is checked at the OAuth server and cached an hour
 * (auth.php:239-293, storagecache.php:10,36); out of reach, the box answers 401 CONNECTION_ERROR "Error connecting
 * to authorization server" (auth.php:79-83); tokens are renewed at the OAuth server only (docs
 * settings/oauth/index.md: 180-day refresh tokens, invalid_grant); webhooks are checked on the box and work in
 * both.
 */
class DeploymentTest {

    @TempDir
    static Path dir;
    static TestBox box;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir, b -> b.application("local.test.1", "client-secret-1").webhook(2, "hooksecret", Set.of()));
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
    }

    private static Map<String, Object> registerParams() {
        return params("USER_ID", 2, "PHONE_NUMBER", "+79035550002", "TYPE", 2);
    }

    private TestBox.Answer refresh(String url, String clientSecret, String refreshToken) {
        String q = "?grant_type=refresh_token&client_id=local.test.1&client_secret=" + enc(clientSecret)
                + "&refresh_token=" + enc(refreshToken);
        return box.send(HttpRequest.newBuilder(URI.create(url + q)).GET());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void assertConnectionRefused(String url) {
        Exception refused = assertThrows(Exception.class, () -> box.http.send(HttpRequest.newBuilder(
                URI.create(url + "?grant_type=refresh_token")).build(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                "connection refused: " + refused);
    }

    @Test
    void auth_php_79_anAirGappedBoxAnswersConnectionErrorToEveryApplicationCallAndRunsNothing() {
        box.emu.settings().deployment(Deployment.AIR_GAPPED);

        TestBox.Answer a = box.call("telephony.externalcall.register", registerParams());

        assertEquals(401, a.status(), a.toString());
        assertEquals("CONNECTION_ERROR", a.error());
        assertEquals("Error connecting to authorization server", a.description());
        assertTrue(box.emu.state().calls().isEmpty());
        assertConnectionRefused(box.emu.tokenUrl());
        TestBox.Answer viaWebhook = box.webhook(2, "hooksecret", "telephony.externalcall.register", registerParams());
        assertEquals(200, viaWebhook.status(), "webhooks are checked on the box: " + viaWebhook);
        assertEquals("air-gapped", box.get("/_emulator/settings").body().path("deployment").asText());
    }

    @Test
    void storagecache_php_36_aBoxThatLosesItsOauthServerKeepsTheTokensItCheckedForAnHour() {
        box.emu.settings().tokenLifetime(Duration.ofHours(3));
        Tokens checked = box.emu.issueTokens(1);
        Tokens unchecked = box.emu.issueTokens(1);
        assertEquals(200, box.call("user.get", Map.of(), checked.accessToken()).status());

        box.emu.faults().oauth(Faults.OAuthState.REFUSED);
        box.emu.clock().advance(Duration.ofMinutes(59));

        assertEquals(200, box.call("user.get", Map.of(), checked.accessToken()).status(), "from the box's cache");
        assertEquals("CONNECTION_ERROR", box.call("user.get", Map.of(), unchecked.accessToken()).error());
        box.emu.clock().advance(Duration.ofMinutes(2));
        assertEquals("CONNECTION_ERROR", box.call("user.get", Map.of(), checked.accessToken()).error(),
                "an hour after the check the box must ask the server again");
        box.emu.faults().oauth(Faults.OAuthState.UP);
        assertEquals(200, box.call("user.get", Map.of(), checked.accessToken()).status());
    }

    @Test
    void auth_php_127_anExpiredTokenIsExpiredTokenAndNothingIsExecuted() {
        box.emu.clock().advance(Duration.ofSeconds(3600));

        TestBox.Answer a = box.call("telephony.externalcall.register", registerParams());

        assertEquals(401, a.status());
        assertEquals("expired_token", a.error());
        assertEquals("The access token provided has expired", a.description());
        assertTrue(box.emu.state().calls().isEmpty());
    }

    @Test
    void anUnknownTokenIsInvalidToken() {
        TestBox.Answer a = box.call("user.get", Map.of(), "0123456789abcdef");
        assertEquals(401, a.status());
        assertEquals("invalid_token", a.error());
    }

    @Test
    void tokenLifetimeIsSetInSecondsOverTheControlApi() {
        assertEquals(200, box.postJson("/_emulator/settings", Map.of("tokenLifetimeSeconds", 2)).status());
        Tokens shortLived = box.emu.issueTokens(1);
        assertEquals(200, box.call("user.get", Map.of(), shortLived.accessToken()).status());

        box.emu.clock().advance(Duration.ofSeconds(2));

        assertEquals("expired_token", box.call("user.get", Map.of(), shortLived.accessToken()).error());
    }

    @Test
    void oauthmodule_php_theBoxServesNoTokenEndpointTheOauthServerDoes() {
        TestBox.Answer onTheBox = refresh(box.emu.baseUrl() + "/oauth/token/", "client-secret-1",
                box.tokens.refreshToken());
        assertEquals(404, onTheBox.status(), onTheBox.toString());

        box.emu.clock().advance(Duration.ofSeconds(3700));
        TestBox.Answer r = refresh(box.emu.tokenUrl(), "client-secret-1", box.tokens.refreshToken());

        assertEquals(200, r.status(), r.toString());
        JsonNode t = r.body();
        assertEquals(3600, t.path("expires_in").asInt());
        assertEquals("127.0.0.1:" + box.emu.oauthPort(), t.path("domain").asText(), "the OAuth server's own domain");
        assertEquals(box.emu.baseUrl() + "/rest/", t.path("client_endpoint").asText());
        assertTrue(t.path("server_endpoint").asText().endsWith(":" + box.emu.oauthPort() + "/rest/"));
        assertNotEquals(box.tokens.refreshToken(), t.path("refresh_token").asText());
        assertEquals(200, box.call("user.get", Map.of(), t.path("access_token").asText()).status());
        TestBox.Answer again = refresh(box.emu.tokenUrl(), "client-secret-1", box.tokens.refreshToken());
        assertEquals("invalid_grant", again.error(), "a refresh token is spent by its use");
    }

    @Test
    void docs_oauth_aRefreshTokenLasts180DaysThenItIsInvalidGrant() {
        Tokens a = box.emu.issueTokens(1);
        Tokens b = box.emu.issueTokens(1);
        box.emu.clock().advance(Duration.ofDays(179));
        assertEquals(200, refresh(box.emu.tokenUrl(), "client-secret-1", a.refreshToken()).status());
        box.emu.clock().advance(Duration.ofDays(2));
        TestBox.Answer late = refresh(box.emu.tokenUrl(), "client-secret-1", b.refreshToken());
        assertEquals(400, late.status());
        assertEquals("invalid_grant", late.error());
    }

    @Test
    void aWrongClientSecretIsInvalidClient() {
        TestBox.Answer r = refresh(box.emu.tokenUrl(), "guess", box.tokens.refreshToken());
        assertEquals(401, r.status());
        assertEquals("invalid_client", r.error());
    }

    @Test
    void theOauthServerCanAnswer503OrRefuseAndComeBackOnTheSamePort() {
        assertEquals(200, refresh(box.emu.tokenUrl(), "client-secret-1", box.tokens.refreshToken()).status());

        box.emu.faults().oauth(Faults.OAuthState.UNAVAILABLE);
        assertEquals(503, refresh(box.emu.tokenUrl(), "client-secret-1", box.emu.issueTokens(1).refreshToken()).status());
        assertEquals("CONNECTION_ERROR", box.call("user.get", Map.of(), box.emu.issueTokens(1).accessToken()).error(),
                "a 503 is no answer the box can read");

        box.emu.faults().oauth(Faults.OAuthState.REFUSED);
        assertConnectionRefused(box.emu.tokenUrl());

        box.emu.faults().oauth(Faults.OAuthState.UP);
        assertEquals(200, refresh(box.emu.tokenUrl(), "client-secret-1", box.emu.issueTokens(1).refreshToken())
                .status(), "the OAuth server is back on the same port");
    }

    @Test
    void anAirGappedBoxInstallsTheApplicationButIssuesNoTokens() {
        box.emu.settings().deployment(Deployment.AIR_GAPPED);

        Installation install = box.emu.install();

        assertNull(install.tokens());
        assertTrue(box.emu.state().application().installed(), "installed at once, on the box");
        box.emu.settings().deployment(Deployment.CLOUD_CONNECTED);
        assertEquals(200, refresh(box.emu.tokenUrl(), "client-secret-1", box.tokens.refreshToken()).status(),
                "connected again: the OAuth server answers on its port");
    }
}
