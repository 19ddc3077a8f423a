package io.b24bridge.admin;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.b24bridge.TestAppliance;
import io.b24bridge.json.Json;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.settings.SettingsSamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings API over the real admin listener (HTTPS), stored in a real Derby database. */
class SettingsApiTest {

    private static final ObjectMapper MAPPER = Json.newMapper();

    @TempDir
    Path dir;
    TestAppliance app;

    @BeforeEach
    void start() {
        app = TestAppliance.start(dir.resolve("a"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Section.class)
    void eachSectionRoundTripsThroughTheApi(Section section) throws Exception {
        String path = "/api/settings/" + section.key();
        HttpResponse<String> put = app.put(path, SettingsSamples.ALL.get(section));
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("\"1\"", put.headers().firstValue("ETag").orElseThrow(), "the first change is version 1");

        HttpResponse<String> get = app.get(path);
        assertEquals(200, get.statusCode());
        assertEquals(MAPPER.readTree(put.body()), MAPPER.readTree(get.body()));
        // what is kept is what was sent, in its canonical form (defaults filled in where the sample left fields out)
        SettingsJson json = new SettingsJson(MAPPER);
        SectionValue sent = json.readSection(section, SettingsSamples.ALL.get(section).getBytes(StandardCharsets.UTF_8));
        assertEquals(MAPPER.readTree(json.write(sent)), MAPPER.readTree(get.body()));
        assertEquals(sent, json.readSection(section, get.body().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anInvalidValueIsRefusedWithTheFieldNamedAndNothingIsStored() throws Exception {
        app.put("/api/settings/inbound-routes", SettingsSamples.INBOUND_ROUTES);
        String before = app.get("/api/settings/inbound-routes").body();

        HttpResponse<String> res = app.put("/api/settings/inbound-routes", """
                {"routes": [{"did": "74951234567", "name": "x", "defaultResponsibleUserId": 0,
                             "fallback": {"type": "TELEPORT"}}]}""");
        assertEquals(400, res.statusCode());
        JsonNode body = MAPPER.readTree(res.body());
        assertEquals("routes[0].fallback.type", body.at("/errors/0/field").asText(), res.body());
        assertTrue(body.at("/errors/0/reason").asText().contains("not one of"), res.body());

        res = app.put("/api/settings/inbound-routes", """
                {"routes": [{"did": "74951234567", "name": "x", "defaultResponsibleUserId": 0}]}""");
        assertEquals(400, res.statusCode());
        assertEquals("routes[0].defaultResponsibleUserId", MAPPER.readTree(res.body()).at("/errors/0/field").asText());

        assertEquals(before, app.get("/api/settings/inbound-routes").body(), "nothing was stored");
        assertEquals("\"1\"", app.get("/api/settings").headers().firstValue("ETag").orElseThrow(),
                "the version did not move");
    }

    @Test
    void aChangeMadeOnAStaleVersionIsRefused() {
        app.put("/api/settings/exceptions", SettingsSamples.EXCEPTIONS);              // version 1
        app.put("/api/settings/call-data", SettingsSamples.CALL_DATA);                // version 2
        HttpResponse<String> stale = app.put("/api/settings/exceptions", "{\"ignoreNumbers\": []}", "If-Match", "\"1\"");
        assertEquals(409, stale.statusCode(), stale.body());
        HttpResponse<String> fresh = app.put("/api/settings/exceptions", "{\"ignoreNumbers\": []}", "If-Match", "\"2\"");
        assertEquals(200, fresh.statusCode(), fresh.body());
        assertEquals("\"3\"", fresh.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void anUnknownSectionIsA404ThatListsTheKnownOnes() {
        HttpResponse<String> res = app.get("/api/settings/routes");
        assertEquals(404, res.statusCode());
        assertTrue(res.body().contains("inbound-routes"), res.body());
    }

    @Test
    void exportImportedIntoAnEmptyStoreGivesTheSameDocument() {
        for (Section s : Section.values()) {
            assertEquals(200, app.put("/api/settings/" + s.key(), SettingsSamples.ALL.get(s)).statusCode());
        }
        String exported = app.get("/api/settings/export").body();

        try (TestAppliance empty = TestAppliance.start(dir.resolve("b"))) {
            HttpResponse<String> imported = empty.post("/api/settings/import", exported);
            assertEquals(200, imported.statusCode(), imported.body());
            assertEquals(exported, empty.get("/api/settings/export").body());
        }
    }

    @Test
    void settingsSurviveARestart() {
        app.put("/api/settings/call-data", SettingsSamples.CALL_DATA);
        String before = app.get("/api/settings/export").body();
        app.close();
        app = null;
        try (TestAppliance again = TestAppliance.start(dir.resolve("a"))) {
            assertEquals(before, again.get("/api/settings/export").body());
        }
    }

    @Test
    void aBrokenImportIsRefusedWholeAndNamesTheSectionAndField() throws Exception {
        app.put("/api/settings/exceptions", SettingsSamples.EXCEPTIONS);
        String before = app.get("/api/settings/export").body();
        HttpResponse<String> res = app.post("/api/settings/import", """
                {"format": "b24bridge-settings", "formatVersion": 1, "version": 5,
                 "sections": {"exceptions": {"ignoreNumbers": []},
                              "callback": {"enabled": true},
                              "faxes": {}}}""");
        assertEquals(400, res.statusCode());
        assertTrue(res.body().contains("sections.callback.target"), res.body());
        assertTrue(res.body().contains("sections.faxes"), res.body());
        assertEquals(before, app.get("/api/settings/export").body(), "nothing of the document was stored");
    }

}
