package io.b24bridge.admin;

import java.net.HttpCookie;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.access.Role;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what on the admin listener (review F2), over the real HTTPS listener: nothing without signing in but
 * the state of /health (probe P1); reading is a viewer's, changing an administrator's; a change must be JSON, from
 * this listener's own pages, and through a session must echo its CSRF token (probe P3); guessing passwords is slowed;
 * the audit log says who did what.
 */
class AdminAccessTest {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final String EVIL = """
            {"format": "b24bridge-settings", "formatVersion": 1, "version": 7, "sections": {
              "routing": {"extensionDial": "PJSIP/{extension}"},
              "exceptions": {"ignoreNumbers": ["_X."], "ignoreExtensions": []}}}""";

    @TempDir
    Path dir;
    TestAppliance app;

    @BeforeEach
    void start() {
        app = TestAppliance.start(dir);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(app.adminUri(path));
    }

    /** Probe P1: the API, the metrics and the details of /health answered anyone on the machine before. */
    @Test
    void withoutSigningInOnlyTheStateOfHealthIsAnswered() throws Exception {
        assertEquals(401, app.anonymous(to("/api/settings/export").GET()).statusCode());
        assertEquals(401, app.anonymous(to("/api/settings").GET()).statusCode());
        assertEquals(401, app.anonymous(to("/api/outbox/dead").GET()).statusCode());
        assertEquals(401, app.anonymous(to("/api/ratings").GET()).statusCode());
        assertEquals(401, app.anonymous(to("/metrics").GET()).statusCode());
        HttpResponse<String> res = app.anonymous(to("/api/store/backup").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(401, res.statusCode());
        assertTrue(res.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        JsonNode health = MAPPER.readTree(app.anonymous(to("/health").GET()).body());
        assertEquals(1, health.size(), "the state only: " + health);
        assertTrue(health.has("status"));
        JsonNode detailed = MAPPER.readTree(app.get("/health").body());
        assertTrue(detailed.has("parts") && detailed.has("version"), "signed in: the whole report");

        assertEquals(401, app.anonymous(to("/api/settings").header("Authorization", "Bearer b24b_0000000000000000_"
                + "A".repeat(43)).GET()).statusCode(), "a made-up token");
    }

    /** Probe P3: a cross-site form posting a settings document as text/plain was taken (200) before. */
    @Test
    void aChangeThatIsNotJsonOrComesFromAnotherSiteIsRefused() throws Exception {
        String before = app.get("/api/settings/export").body();
        HttpResponse<String> plain = app.anonymous(to("/api/settings/import").header("Authorization", "Bearer "
                + app.token()).header("Content-Type", "text/plain").header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString(EVIL)));
        assertEquals(415, plain.statusCode(), plain.body());
        HttpResponse<String> form = app.anonymous(to("/api/settings/import").header("Authorization", "Bearer "
                + app.token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=" + EVIL)));
        assertEquals(415, form.statusCode());
        HttpResponse<String> crossSite = app.anonymous(to("/api/settings/import").header("Authorization", "Bearer "
                + app.token()).header("Content-Type", "application/json").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString(EVIL)));
        assertEquals(403, crossSite.statusCode());
        HttpResponse<String> otherOrigin = app.anonymous(to("/api/settings/import").header("Authorization", "Bearer "
                + app.token()).header("Content-Type", "application/json").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(EVIL)));
        assertEquals(403, otherOrigin.statusCode());
        assertEquals(before, app.get("/api/settings/export").body(), "nothing changed");

        HttpResponse<String> export = app.get("/api/settings/export");
        assertEquals("no-store", export.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void aViewerReadsAndCannotChange() throws Exception {
        app.appliance().access().accounts().create("olga", Role.VIEWER, "olga-reads-only-1".toCharArray());
        String token = app.appliance().access().tokens().issue("olga", "dashboard").secret();
        assertEquals(200, app.anonymous(to("/api/settings").header("Authorization", "Bearer " + token).GET())
                .statusCode());
        HttpResponse<String> put = app.anonymous(to("/api/settings/exceptions").header("Authorization", "Bearer "
                + token).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                "{\"ignoreNumbers\": [], \"ignoreExtensions\": []}")));
        assertEquals(403, put.statusCode(), put.body());
        assertEquals(403, app.anonymous(to("/api/audit").header("Authorization", "Bearer " + token).GET())
                .statusCode(), "the audit log is an administrator's");
        assertEquals(403, app.anonymous(to("/api/accounts").header("Authorization", "Bearer " + token).GET())
                .statusCode());
    }

    @Test
    void aPanelSessionChangesOnlyWithItsCsrfTokenAndEndsAtSignOut() throws Exception {
        HttpResponse<String> login = app.anonymous(to("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + TestAppliance.ADMIN
                        + "\", \"password\": \"" + TestAppliance.ADMIN_PASSWORD + "\"}")));
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("Secure") && setCookie.contains("HttpOnly")
                && setCookie.contains("SameSite=Strict"), setCookie);
        HttpCookie cookie = HttpCookie.parse(setCookie).getFirst();
        assertEquals("__Host-b24bridge-session", cookie.getName());
        String csrf = MAPPER.readTree(login.body()).path("csrfToken").asText();
        assertFalse(csrf.isEmpty());
        String cookieHeader = cookie.getName() + "=" + cookie.getValue();

        assertEquals(200, app.anonymous(to("/api/settings").header("Cookie", cookieHeader).GET()).statusCode());
        String body = "{\"ignoreNumbers\": [\"_8800XXXXXXX\"], \"ignoreExtensions\": []}";
        HttpResponse<String> noToken = app.anonymous(to("/api/settings/exceptions").header("Cookie", cookieHeader)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(403, noToken.statusCode(), "a change through a session without its CSRF token");
        HttpResponse<String> withToken = app.anonymous(to("/api/settings/exceptions").header("Cookie", cookieHeader)
                .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, withToken.statusCode(), withToken.body());

        assertEquals(200, app.anonymous(to("/api/session").header("Cookie", cookieHeader).header("X-CSRF-Token", csrf)
                .DELETE()).statusCode());
        assertEquals(401, app.anonymous(to("/api/settings").header("Cookie", cookieHeader).GET()).statusCode(),
                "signed out");
    }

    @Test
    void guessingPasswordsIsSlowedAndEveryAttemptIsAudited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login(TestAppliance.ADMIN, "wrong-guess-" + i).statusCode());
        }
        HttpResponse<String> locked = login(TestAppliance.ADMIN, "wrong-guess-5");
        assertEquals(429, locked.statusCode(), "five failures lock the name for 30 s");
        assertTrue(locked.headers().firstValue("Retry-After").isPresent());
        assertEquals(429, login(TestAppliance.ADMIN, TestAppliance.ADMIN_PASSWORD).statusCode(),
                "even the right password waits out the lock");

        JsonNode entries = MAPPER.readTree(app.get("/api/audit?action=login").body()).path("entries");
        assertTrue(entries.size() >= 7, entries.toString());
        assertTrue(entries.toString().contains("\"outcome\":\"REFUSED\""));
        assertFalse(entries.toString().contains("wrong-guess"), "no password in the audit log");
    }

    @Test
    void aSettingsChangeIsAuditedWithWhoAndWhatChanged() throws Exception {
        app.put("/api/settings/routing", "{\"mobileTrunk\": \"mts\", \"deadlineMs\": 900}");
        JsonNode entry = MAPPER.readTree(app.get("/api/audit?action=settings").body()).path("entries").get(0);
        assertEquals(TestAppliance.ADMIN, entry.path("actor").asText());
        assertEquals("TOKEN", entry.path("via").asText());
        assertEquals("settings.put", entry.path("action").asText());
        assertEquals("routing", entry.path("target").asText());
        List<String> fields = entry.path("detail").path("changes").findValuesAsText("field");
        assertEquals(List.of("deadlineMs", "mobileTrunk"), fields.stream().sorted().toList());
        assertTrue(entry.path("detail").toString().contains("\"to\":\"900\""), entry.toString());
    }

    private HttpResponse<String> login(String name, String password) {
        return app.anonymous(to("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\", \"password\": \"" + password
                        + "\"}")));
    }
}
