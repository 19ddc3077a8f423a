package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which auth each method takes, as box 26.250's source decides (yuliai/bitrix-modules@a3a2a579): register, finish
 * and telephony.externalLine.* take OAuth or a webhook ({@code voximplant/classes/general/vi_rest.php:1613-1615,
 * 1717-1719, 1953-1956}); show, hide, attachRecord and searchCrmEntities check no auth type (vi_rest.php:1586-1600,
 * 1783-1842); event.* take OAuth only ({@code rest/lib/api/event.php:156-159}); app.info answers a webhook
 * ({@code rest/classes/general/rest_provider.php:533-590}). The docs' stricter claim is the {@link AuthRules#DOCS}
 * switch.
 */
class AuthRulesTest {

    @TempDir
    static Path dir;
    static TestBox box;
    static final String SECRET = "s3cretwebhook";

    @BeforeAll
    static void start() {
        box = TestBox.start(dir, b -> b.webhook(2, SECRET, Set.of()));
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

    private TestBox.Answer hook(String method, Map<String, ?> p) {
        return box.webhook(2, SECRET, method, p);
    }

    @Test
    void vi_rest_php_1613_aWebhookRunsTheWholeCallLifecycle() {
        TestBox.Answer line = hook("telephony.externalLine.add", params("NUMBER", "74951234567"));
        TestBox.Answer reg = hook("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79035550002", "TYPE", 2, "LINE_NUMBER", "74951234567"));
        String callId = reg.result().path("CALL_ID").asText();
        TestBox.Answer show = hook("telephony.externalcall.show", params("CALL_ID", callId, "USER_ID", 2));
        TestBox.Answer fin = hook("telephony.externalcall.finish", params("CALL_ID", callId, "USER_ID", 2, "DURATION", 12));
        TestBox.Answer attach = hook("telephony.externalCall.attachRecord", params("CALL_ID", callId,
                "FILENAME", "a.mp3", "FILE_CONTENT", "SUQzBAAAAAAA"));
        TestBox.Answer search = hook("telephony.externalCall.searchCrmEntities", params("PHONE_NUMBER", "+79035550002"));
        TestBox.Answer lines = hook("telephony.externalLine.get", Map.of());

        for (TestBox.Answer a : new TestBox.Answer[] {line, reg, show, fin, attach, search, lines}) {
            assertEquals(200, a.status(), a.toString());
        }
        assertEquals("webhook", box.emu.state().call(callId).orElseThrow().principal());
        assertTrue(box.emu.state().call(callId).orElseThrow().finished());
        assertTrue(fin.result().path("REST_APP_ID").isNull(), "a webhook has no application");
        assertEquals("74951234567", lines.result().get(0).path("NUMBER").asText());
    }

    @Test
    void event_php_156_eventMethodsRefuseWebhooksOnEveryBox() {
        for (AuthRules rules : AuthRules.values()) {
            box.emu.settings().authRules(rules);
            for (String method : new String[] {"event.bind", "event.get", "event.unbind"}) {
                TestBox.Answer a = hook(method, params("event", "OnExternalCallStart", "handler", "https://a.example/e"));
                assertEquals(403, a.status(), rules + " " + method + ": " + a);
                assertEquals("WRONG_AUTH_TYPE", a.error());
                assertEquals("Current authorization type is denied for this method", a.description());
            }
        }
    }

    @Test
    void rest_provider_php_533_appInfoAnswersAWebhookWithItsScopesAndLicence() {
        TestBox.Answer a = hook("app.info", Map.of());
        assertEquals(200, a.status(), a.toString());
        assertEquals("en_selfhosted", a.result().path("LICENSE").asText());
        assertTrue(a.result().path("SCOPE").toString().contains("telephony"));
        assertFalse(a.result().has("CODE"));
        TestBox.Answer app = box.call("app.info", Map.of());
        assertEquals(box.emu.clientId(), app.result().path("CODE").asText());
        assertFalse(app.result().has("LICENSE_TYPE"), "no bitrix24 module on a box");
    }

    @Test
    void docsRules_registerFinishAndLinesRefuseWebhooksTheRestDoNot() {
        box.emu.settings().authRules(AuthRules.DOCS);
        String callId = box.register(2, "+79035550002");
        for (String method : new String[] {"telephony.externalcall.register", "telephony.externalcall.finish",
                "telephony.externalLine.add", "telephony.externalLine.update", "telephony.externalLine.delete",
                "telephony.externalLine.get"}) {
            TestBox.Answer a = hook(method, params("CALL_ID", callId, "USER_ID", 2, "PHONE_NUMBER", "+79035550002",
                    "TYPE", 2, "NUMBER", "1", "NAME", "x"));
            assertEquals(403, a.status(), method + ": " + a);
            assertEquals("WRONG_AUTH_TYPE", a.error(), method);
        }
        assertEquals(200, hook("telephony.externalcall.show", params("CALL_ID", callId, "USER_ID", 2)).status());
        assertEquals(200, hook("telephony.externalCall.searchCrmEntities", params("PHONE_NUMBER", "+79035550002")).status());
        assertFalse(box.emu.state().calls().getFirst().finished());
        assertEquals("docs", box.get("/_emulator/settings").body().path("authRules").asText());
    }

    @Test
    void apauth_php_aWrongWebhookSecretOrUserIsInvalidCredentials() {
        assertEquals("INVALID_CREDENTIALS", box.webhook(2, "nope", "user.get", Map.of()).error());
        TestBox.Answer wrongUser = box.webhook(3, SECRET, "user.get", Map.of());
        assertEquals(401, wrongUser.status());
        assertEquals("INVALID_CREDENTIALS", wrongUser.error());
    }

    @Test
    void auth_php_139_aWebhookWithoutTheScopeIsInsufficientScope() {
        box.emu.addWebhook(2, "crmonly", Set.of("crm"));
        TestBox.Answer a = box.webhook(2, "crmonly", "user.get", Map.of());
        assertEquals(401, a.status(), "an OAuthException: 401, whatever the docs' table says");
        assertEquals("insufficient_scope", a.error());
        assertEquals("The request requires higher privileges than provided by the webhook token", a.description());
        assertEquals(200, box.webhook(2, "crmonly", "crm.contact.list", Map.of()).status());
    }

    @Test
    void rest_util_php_550_aRequestWithoutAuthIsNoAuthFound() {
        TestBox.Answer a = box.call("telephony.externalcall.register", params("USER_ID", 2), null);
        assertEquals(401, a.status());
        assertEquals("NO_AUTH_FOUND", a.error());
        assertEquals("Wrong authorization data", a.description());
    }

    @Test
    void auth_php_194_theTokenMayComeAsAccessTokenOrBearer() {
        TestBox.Answer asParam = box.call("user.get", params("access_token", box.tokens.accessToken()), null);
        TestBox.Answer asHeader = box.send(java.net.http.HttpRequest.newBuilder(box.uri("/rest/user.get.json"))
                .header("Authorization", "Bearer " + box.tokens.accessToken())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, asParam.status(), asParam.toString());
        assertEquals(200, asHeader.status(), asHeader.toString());
    }

    @Test
    void rest_php_227_anUnknownMethodIsMethodNotFound() {
        TestBox.Answer a = box.call("crm.deal.fly", Map.of());
        assertEquals(404, a.status());
        assertEquals("ERROR_METHOD_NOT_FOUND", a.error());
        assertEquals("Method not found!", a.description());
    }
}
