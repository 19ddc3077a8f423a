package io.b24bridge.admin;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.access.Role;
import io.b24bridge.certs.DevPki;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.settings.SettingsRetention;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Faults;
import io.b24bridge.testkit.bitrix.User;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the control panel reads besides the settings themselves, on a running appliance (HTTPS, real Derby): the
 * panel's own files with their Content-Security-Policy, the settings' shape, versions with what each changed and
 * their restore (refused for versions the retention pruned), the calls list with its filters and CSV, and the box's
 * lead sources and users the settings pick from (the box emulated).
 */
class PanelApiTest {

    @TempDir
    Path dir;
    TestAppliance app;
    BoxEmulator emu;

    @BeforeEach
    void start() {
        app = TestAppliance.start(dir);
    }

    @AfterEach
    void stop() {
        app.close();
        if (emu != null) {
            emu.stop();
        }
    }

    /** The appliance again, now with a box (the emulator, reached with a webhook of user 1). */
    private void restartWithBox(java.util.function.Consumer<BoxEmulator> seed) {
        app.close();
        Path withBox = dir.resolve("with-box");
        DevPki.Files pki = DevPki.ensure(withBox.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).webhook(1, "hooksecret", Set.of("crm", "user", "telephony")).build().start();
        seed.accept(emu);
        app = TestAppliance.start(withBox, EmulatedBox.webhookSection(emu, 1, "hooksecret"));
    }

    @Test
    void theBoxsLeadSourcesAndUsersAreListedForThePickers() throws Exception {
        restartWithBox(e -> {
            e.addLeadSource("MSK_ADS", "Реклама Москва");
            e.addUser(User.of(4, "Анна", "101", "+79160000004"));
            e.addUser(new User(5, "Борис", "Ступин", null, null, null, null, true, null));
            e.addUser(new User(6, "Уволенный", "", "102", null, null, null, false, null));
        });

        JsonNode sources = json(app.get("/api/box/lead-sources")).get("leadSources");
        assertEquals("{\"id\":\"CALL\",\"name\":\"Call\"}", sources.get(0).toString(), "as the box lists them");
        assertEquals("{\"id\":\"MSK_ADS\",\"name\":\"Реклама Москва\"}", sources.get(sources.size() - 1).toString());

        JsonNode users = json(app.get("/api/box/users")).get("users");
        assertEquals("[{\"id\":1,\"name\":\"Admin\"},{\"id\":4,\"name\":\"Анна\",\"extension\":\"101\"},"
                + "{\"id\":5,\"name\":\"Борис Ступин\"}]", users.toString(),
                "every active user, with an extension or without, by name; the fired one is not offered");
    }

    @Test
    void withoutABoxOrWhileItIsAwayTheListsSayWhyAndTheIdIsTyped() throws Exception {
        HttpResponse<String> none = app.get("/api/box/users");
        assertEquals(503, none.statusCode());
        assertTrue(json(none).get("error").asText().contains("no Bitrix24 box is configured"), none.body());

        restartWithBox(e -> e.faults().outage(Faults.Outage.REFUSED));
        HttpResponse<String> away = app.get("/api/box/lead-sources");
        assertEquals(503, away.statusCode(), away.body());
        assertTrue(json(away).get("error").asText().contains("cannot be asked now"), away.body());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.newMapper().readTree(r.body());
    }

    @Test
    void thePanelIsServedWithAPolicyThatKeepsItToThisListener() {
        HttpResponse<String> page = app.anonymous(HttpRequest.newBuilder(app.adminUri("/")));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"/panel.js\""), page.body());
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'")
                && policy.contains("frame-ancestors 'none'"), policy);
        assertEquals(200, app.anonymous(HttpRequest.newBuilder(app.adminUri("/panel.js"))).statusCode());
        assertEquals(404, app.anonymous(HttpRequest.newBuilder(app.adminUri("/panel/../b24bridge.yaml"))).statusCode());
    }

    @Test
    void theSchemaDescribesEachSectionsFields() throws Exception {
        JsonNode schema = json(app.get("/api/settings-meta/schema"));
        JsonNode route = schema.get("inbound-routes").get("fields").get(0).get("item");
        assertEquals("object", route.get("kind").asText());
        assertEquals("did", route.get("fields").get(0).get("name").asText());
        JsonNode showCardTo = null;
        for (JsonNode f : route.get("fields")) {
            if (f.get("name").asText().equals("showCardTo")) {
                showCardTo = f;
            }
        }
        assertEquals("[\"RINGING\",\"RESPONSIBLE\",\"NOBODY\"]", showCardTo.get("values").toString());
    }

    @Test
    void aVersionShowsWhatItChangedAndAnEarlierOneIsRestoredAsANewVersion() throws Exception {
        app.put("/api/settings/exceptions", "{\"ignoreNumbers\": [\"+74950000001\"]}");   // version 1
        app.put("/api/settings/exceptions", "{\"ignoreNumbers\": [\"+74950000002\"]}");   // version 2

        JsonNode versions = json(app.get("/api/settings-meta/versions"));
        assertEquals(2, versions.get("versions").get(0).get("version").asLong());
        assertEquals(TestAppliance.ADMIN, versions.get("versions").get(0).get("changedBy").asText());
        JsonNode two = json(app.get("/api/settings-meta/versions/2"));
        assertEquals("[{\"field\":\"exceptions.ignoreNumbers[0]\",\"from\":\"+74950000001\",\"to\":\"+74950000002\"}]",
                two.get("changes").toString());

        HttpResponse<String> restored = app.post("/api/settings-meta/versions/1/restore", "");
        assertEquals(200, restored.statusCode(), restored.body());
        assertEquals(3, json(restored).get("version").asLong());
        assertEquals(List.of("+74950000001"),
                app.appliance().settings().current().exceptions().ignoreNumbers());
        assertEquals(404, app.post("/api/settings-meta/versions/9/restore", "").statusCode());
        assertEquals(400, app.get("/api/settings-meta/versions/latest").statusCode());
    }

    @Test
    void aVersionWhoseValuesThePruningTookIsNeitherShownNorRestored() throws Exception {
        app.put("/api/settings/exceptions", "{\"ignoreNumbers\": [\"+74950000001\"]}");   // version 1
        app.put("/api/settings/exceptions", "{\"ignoreNumbers\": [\"+74950000002\"]}");   // version 2
        app.put("/api/settings/call-data", "{\"uploadRecordings\": false}");            // version 3
        // everything so far is older than the cut-off: exceptions of version 1 go, version 2's stay (in force)
        SettingsRetention.prune(app.appliance().db(), Instant.now().plus(Duration.ofMinutes(1)));

        assertEquals(3, json(app.get("/api/settings-meta/versions")).get("restorableFrom").asLong(),
                "from the newest version before the cut-off, every version is rebuilt whole");
        assertEquals(404, app.get("/api/settings-meta/versions/1").statusCode());
        assertEquals(404, app.post("/api/settings-meta/versions/1/restore", "").statusCode());
        assertEquals(404, app.get("/api/settings-meta/versions/2").statusCode());
        JsonNode three = json(app.get("/api/settings-meta/versions/3"));
        assertEquals("[\"+74950000002\"]", three.get("sections").get("exceptions").get("ignoreNumbers").toString());
        assertTrue(three.get("previousPruned").asBoolean(), "what version 3 changed is unknown: its predecessor was pruned");
        assertEquals(200, app.post("/api/settings-meta/versions/3/restore", "").statusCode());
    }

    @Test
    void callsAreListedNewestFirstFilteredAndExportedAsCsv() throws Exception {
        Instant now = Instant.now();
        call("1.1", "+79161111111", "101", now.minusSeconds(300), "200");
        call("1.2", "=cmd|' /C calc'!A0", "102", now.minusSeconds(200), "304");
        call("1.3", "+79163333333", "101", now.minusSeconds(100), "200");

        JsonNode all = json(app.get("/api/calls")).get("calls");
        assertEquals(3, all.size());
        assertEquals("pbx1:1.3", all.get(0).get("call").asText(), "newest first");
        assertEquals("answered", all.get(0).get("status").asText());
        assertEquals("missed", all.get(1).get("status").asText());
        assertEquals(95, all.get(0).get("talkSeconds").asInt());
        assertEquals(7, all.get(0).get("waitSeconds").asInt());
        assertEquals("register", all.get(0).get("crm").get(0).get("kind").asText());

        assertEquals(2, json(app.get("/api/calls?operator=101")).get("calls").size());
        assertEquals(1, json(app.get("/api/calls?number=3333")).get("calls").size());
        assertEquals(0, json(app.get("/api/calls?since=2020-01-01&until=2020-01-31")).get("calls").size());
        assertEquals(400, app.get("/api/calls?since=yesterday").statusCode());

        HttpResponse<String> csv = app.get("/api/calls/csv?operator=102");
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElseThrow());
        String[] lines = csv.body().split("\r\n");
        assertEquals(2, lines.length, csv.body());
        assertTrue(lines[1].contains(",'=cmd|' /C calc'!A0,"), "a formula is not run by a spreadsheet: " + lines[1]);
    }

    @Test
    void aCallsRecordingIsStreamedFromTheRecordingsFolderAndNothingElseIs() throws Exception {
        app.close();
        Path folder = Files.createDirectories(dir.resolve("recordings/2026/12/03"));
        byte[] sound = new byte[48_044];
        for (int i = 0; i < sound.length; i++) {
            sound[i] = (byte) (i * 7);
        }
        Files.write(folder.resolve("in-1.wav"), sound);
        Files.writeString(dir.resolve("secret.wav"), "not for the panel");
        Files.createSymbolicLink(folder.resolve("link-out.wav"), dir.resolve("secret.wav"));
        // a PBX that is never reached (routing off): only its recordings folder matters here
        app = TestAppliance.start(dir.resolve("with-pbx"), """
                pbx:
                  - id: pbx1
                    host: 127.0.0.1
                    port: 1
                    username: b24bridge
                    secret: test-secret
                    recordings-dir: %s
                    recordings-pbx-dir: /var/spool/asterisk/monitor
                agi:
                  port: 0
                """.formatted(dir.resolve("recordings")).replace("%", "%%"));
        recorded("2.1", "/var/spool/asterisk/monitor/2026/12/03/in-1.wav");
        recorded("2.2", "/etc/passwd");
        recorded("2.3", "/var/spool/asterisk/monitor/2026/12/03/link-out.wav");
        recorded("2.4", null);

        HttpResponse<byte[]> whole = bytes("/api/recordings/pbx1:2.1", null);
        assertEquals(200, whole.statusCode());
        assertEquals("audio/wav", whole.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());
        assertArrayEquals(sound, whole.body());

        HttpResponse<byte[]> part = bytes("/api/recordings/pbx1%3A2.1", "bytes=1000-1999");
        assertEquals(206, part.statusCode(), "the player winds to the middle");
        assertEquals("bytes 1000-1999/48044", part.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(sound, 1000, 2000), part.body());
        assertEquals(44, bytes("/api/recordings/pbx1:2.1", "bytes=-44").body().length, "the last 44 bytes");
        assertEquals(416, bytes("/api/recordings/pbx1:2.1", "bytes=48044-").statusCode());

        assertEquals(403, bytes("/api/recordings/pbx1:2.2", null).statusCode(), "not a recording: never served");
        HttpResponse<byte[]> out = bytes("/api/recordings/pbx1:2.3", null);
        assertEquals(403, out.statusCode(), "a link out of the folder: never served");
        assertTrue(new String(out.body()).contains("link out of the recordings folder"), new String(out.body()));
        assertEquals(404, bytes("/api/recordings/pbx1:2.4", null).statusCode(), "no recording");
        assertEquals(404, bytes("/api/recordings/pbx1:9.9", null).statusCode(), "no such call");
        assertEquals(400, bytes("/api/recordings/secret.wav", null).statusCode(), "a call, never a file");
        HttpResponse<byte[]> path = bytes("/api/recordings/..%2F..%2Fsecret.wav", null);
        assertEquals(404, path.statusCode(), "a path is no call");
        assertFalse(new String(path.body()).contains("not for the panel"));

        // a viewer may listen; a stranger may not
        app.appliance().access().accounts().create("listener", Role.VIEWER, "listener-password-2026".toCharArray());
        String viewer = app.appliance().access().tokens().issue("listener", "tests").secret();
        assertEquals(200, app.anonymous(HttpRequest.newBuilder(app.adminUri("/api/recordings/pbx1:2.1"))
                .header("Authorization", "Bearer " + viewer)).statusCode());
        assertEquals(401, app.anonymous(HttpRequest.newBuilder(app.adminUri("/api/recordings/pbx1:2.1")))
                .statusCode());
    }

    private HttpResponse<byte[]> bytes(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.adminUri(path)).header("Authorization", "Bearer "
                + app.token());
        if (range != null) {
            b.header("Range", range);
        }
        try (var client = java.net.http.HttpClient.newBuilder().sslContext(io.b24bridge.TestTls.context(
                app.pki().trustStore(), null, app.pki().password())).build()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** A finished call whose recording the PBX named {@code file}. */
    private void recorded(String linkedid, String file) {
        CallKey key = new CallKey("pbx1", linkedid);
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79161111111").registered(true).operator("101").recordingFile(file).finished(true)
                .build();
        app.appliance().outbox().journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, CrmCommand.UserRef.user(4), "+79161111111", false, Instant.now(), true,
                        "CALL", null, true)), true)));
    }

    private void call(String linkedid, String number, String operator, Instant at, String status) {
        CallKey key = new CallKey("pbx1", linkedid);
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, at).clientNumber(number)
                .did("74951234567").registered(true).operator(operator).lastRinging(operator)
                .answeredAt(status.equals("200") ? at.plusSeconds(7) : null).finished(true).build();
        app.appliance().outbox().journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, CrmCommand.UserRef.user(4), number, false, at, true, "CALL", null, true),
                new CrmCommand.Finish(key, CrmCommand.UserRef.extension(operator), status.equals("200") ? 95 : 0,
                        status, null, false)), true)));
    }
}
