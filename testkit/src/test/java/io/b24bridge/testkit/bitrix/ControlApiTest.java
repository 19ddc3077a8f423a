package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /_emulator/}: seeding, the state, the request log, settings, clock, reset, demo seed and the page. */
class ControlApiTest {

    @TempDir
    static Path dir;
    static TestBox box;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir, b -> b.requestLogSize(50));
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @BeforeEach
    void fresh() {
        assertEquals(200, box.postJson("/_emulator/reset", Map.of()).status());
        box.tokens = box.emu.issueTokens(1);
    }

    @Test
    void seededUsersAreFoundByExtensionAndActivityThroughUserGet() {
        box.postJson("/_emulator/users", Map.of("id", 7, "name", "Olga", "UF_PHONE_INNER", "107",
                "mobile", "+79160000107"));
        box.postJson("/_emulator/users", Map.of("id", 8, "name", "Gone", "UF_PHONE_INNER", "108", "active", false));

        JsonNode byExt = box.postForm("/rest/user.get.json",
                "FILTER[UF_PHONE_INNER]=107&auth=" + box.tokens.accessToken()).result();
        assertEquals(1, byExt.size());
        assertEquals("7", byExt.get(0).path("ID").asText());
        assertEquals("+79160000107", byExt.get(0).path("PERSONAL_MOBILE").asText());
        JsonNode active = box.call("user.get", params("FILTER", Map.of("ACTIVE", "true"))).result();
        assertEquals(List.of("1", "7"), ids(active), "user 1 (the administrator) and the active one");
        assertEquals(List.of("8"), ids(box.call("user.get", params("ACTIVE", "N")).result()));
    }

    private static List<String> ids(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).map(n -> n.path("ID").asText()).toList();
    }

    @Test
    void seededClientsAndSourcesAreWhatRestSees() {
        box.postJson("/_emulator/users", Map.of("id", 2, "name", "Ivan", "UF_PHONE_INNER", "101"));
        int company = box.postJson("/_emulator/companies", Map.of("title", "Romashka", "phones", List.of("+74951112233"),
                "assignedById", 2)).body().path("id").asInt();
        box.postJson("/_emulator/contacts", Map.of("name", "Sergey", "lastName", "K", "phones", List.of("+79162000001"),
                "assignedById", 2, "companyId", company));
        box.postJson("/_emulator/leads", Map.of("title", "Web", "phones", List.of("+79993000001"), "assignedById", 2,
                "sourceId", "WEB"));
        box.postJson("/_emulator/lead-sources", Map.of("statusId", "DID_1", "name", "Line 1"));

        JsonNode found = box.call("telephony.externalCall.searchCrmEntities", params("PHONE_NUMBER", "84951112233")).result();
        assertEquals("COMPANY", found.get(0).path("CRM_ENTITY_TYPE").asText());
        assertEquals("101", found.get(0).path("ASSIGNED_BY").path("USER_PHONE_INNER").asText());
        JsonNode contacts = box.call("crm.contact.list", params("filter", Map.of("COMPANY_ID", company),
                "select", List.of("*", "PHONE"))).result();
        assertEquals("+79162000001", contacts.get(0).path("PHONE").get(0).path("VALUE").asText());
        assertTrue(box.call("crm.status.list", params("filter", Map.of("ENTITY_ID", "SOURCE"))).raw().contains("DID_1"));
        assertEquals(1, box.emu.state().leads().size());
    }

    @Test
    void theStateShowsTheWholeCrmWithSecretsMasked() {
        box.postJson("/_emulator/users", Map.of("id", 2, "name", "Ivan", "UF_PHONE_INNER", "101"));
        box.postJson("/_emulator/webhooks", Map.of("userId", 2, "secret", "verysecretvalue"));
        String callId = box.register(2, "+79161230000", "EXTERNAL_CALL_ID", "pbx-1.1");

        JsonNode s = box.get("/_emulator/state").body();

        assertEquals("CLOUD_CONNECTED", s.path("deployment").asText());
        assertEquals("SOURCE", s.path("authRules").asText());
        JsonNode call = s.path("calls").get(0);
        assertEquals(callId, call.path("callId").asText());
        assertEquals("pbx-1.1", call.path("externalCallId").asText());
        assertEquals(2, call.path("cardVisibleTo").get(0).asInt());
        assertEquals("SHOW", call.path("cardLog").get(0).path("action").asText());
        assertTrue(s.path("tokens").size() >= 1);
        String raw = s.toString();
        assertFalse(raw.contains(box.tokens.accessToken()), "no token in the state");
        assertFalse(raw.contains("verysecretvalue"), "no webhook secret in the state");
        assertEquals("very***", s.path("webhooks").get(0).path("secret").asText());
    }

    @Test
    void theRequestLogKeepsWhoCalledWhatWithSecretsAndContentsMasked() {
        box.postJson("/_emulator/users", Map.of("id", 2, "name", "Ivan"));
        box.postJson("/_emulator/webhooks", Map.of("userId", 2, "secret", "hooksecret123"));
        box.call("crm.lead.add", params("fields", Map.of("TITLE", "x")));
        box.webhook(2, "hooksecret123", "user.get", Map.of());
        box.call("telephony.externalCall.attachRecord", params("CALL_ID", "nope", "FILENAME", "a.mp3",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(new byte[300])));

        JsonNode log = box.get("/_emulator/requests").body();

        JsonNode entries = log.path("requests");
        assertEquals(3, entries.size());
        JsonNode add = entries.get(0);
        assertEquals("crm.lead.add", add.path("method").asText());
        assertEquals("application", add.path("authKind").asText());
        assertEquals(200, add.path("status").asInt());
        assertEquals("x", add.path("params").path("fields").path("TITLE").asText());
        JsonNode hook = entries.get(1);
        assertEquals("webhook", hook.path("authKind").asText());
        assertEquals("/rest/2/***/user.get.json", hook.path("path").asText());
        JsonNode attach = entries.get(2);
        assertEquals("", attach.path("error").asText());
        assertEquals("<400 base64 characters>", attach.path("params").path("FILE_CONTENT").asText());
        String raw = log.toString();
        assertFalse(raw.contains(box.tokens.accessToken()));
        assertFalse(raw.contains("hooksecret123"));
    }

    @Test
    void theRequestLogIsBounded() {
        for (int i = 0; i < 80; i++) {
            box.call("profile", Map.of());
        }
        assertEquals(80, box.emu.requests().count());
        List<RequestLog.Entry> kept = box.emu.requests().all();
        assertEquals(50, kept.size(), "only the last 50 (configured) are kept");
        assertEquals(80, kept.getLast().seq());
        assertEquals(31, kept.getFirst().seq());
    }

    @Test
    void settingsSwitchDeploymentAndAuthRulesAndTheClockMovesOrIsSet() {
        JsonNode s = box.postJson("/_emulator/settings", Map.of("deployment", "air-gapped", "authRules", "docs")).body();
        assertEquals("air-gapped", s.path("deployment").asText());
        assertEquals("docs", s.path("authRules").asText());
        assertEquals(Deployment.AIR_GAPPED, box.emu.settings().deployment());
        assertEquals(AuthRules.DOCS, box.emu.settings().authRules());
        assertEquals(400, box.postJson("/_emulator/settings", Map.of("deployment", "moon")).status());

        JsonNode c = box.postJson("/_emulator/clock", Map.of("advanceSeconds", 1800)).body();
        assertEquals(1800, c.path("offsetSeconds").asInt());
        assertEquals(Duration.ofMinutes(30), box.emu.clock().offset());

        JsonNode set = box.postJson("/_emulator/clock", Map.of("set", "2030-01-02T03:04:05Z")).body();
        java.time.Instant now = java.time.Instant.parse(set.path("now").asText());
        assertTrue(!now.isBefore(java.time.Instant.parse("2030-01-02T03:04:05Z"))
                && now.isBefore(java.time.Instant.parse("2030-01-02T03:05:05Z")), "the box's time is set: " + now);
        assertEquals(400, box.postJson("/_emulator/clock", Map.of("set", "tomorrow")).status());
    }

    @Test
    void resetForgetsEverythingAndTheDemoSeedBringsTheSandboxData() {
        box.postJson("/_emulator/users", Map.of("id", 2, "name", "Ivan"));
        box.postJson("/_emulator/reset", Map.of("seed", "demo"));

        BoxState s = box.emu.state();
        assertEquals(List.of("101", "102", "103", "104"), s.users().stream().map(User::innerPhone)
                .filter(java.util.Objects::nonNull).toList());
        assertEquals("Ivan", s.user(2).orElseThrow().name(), "the demo's Ivan, not the seeded one");
        assertEquals(3, s.contacts().size());
        assertTrue(s.statuses().stream().anyMatch(st -> st.statusId().equals("DID_74951234567")));
        assertEquals(200, box.webhook(1, DemoSeed.WEBHOOK_SECRET, "profile", Map.of()).status());
        assertEquals(1, box.emu.requests().count(), "the request log was cleared: only that profile call");
        box.postJson("/_emulator/reset", Map.of());
        assertEquals(1, box.emu.state().users().size(), "only the administrator");
    }

    @Test
    void theStatePageIsPlainHtmlThatPollsTheStateAndLoadsNothingFromOutside() {
        TestBox.Answer page = box.get("/");
        assertEquals(200, page.status());
        String html = page.raw();
        assertTrue(html.contains("/_emulator/state"));
        assertTrue(html.contains("setTimeout(poll, 1000)"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src="),
                "no external resources: the box is air-gapped");
    }

    @Test
    void unknownControlPathsAnd400sAreJson() {
        assertEquals(404, box.get("/_emulator/nothing").status());
        TestBox.Answer bad = box.postJson("/_emulator/click-to-call", Map.of("phone", "+7916"));
        assertEquals(400, bad.status());
        assertTrue(bad.body().path("error").asText().contains("userId"));
    }
}
