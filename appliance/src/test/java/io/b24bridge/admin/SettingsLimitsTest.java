package io.b24bridge.admin;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review probe P12 (F13): settings a stranger to the rules could store — a version that overflows (after a restart
 * every change failed for good), a name with a bidi override and a NUL, fifty thousand routes — are refused with
 * 400, and a date out of range is a 400 too, not a 500.
 */
class SettingsLimitsTest {

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

    private String document(String version) {
        return """
                {"format": "b24bridge-settings", "formatVersion": 1, "version": %s,
                 "sections": {"exceptions": {"ignoreNumbers": [], "ignoreExtensions": []}}}""".formatted(version);
    }

    @Test
    void aVersionThatWouldOverflowIsRefusedAndChangesGoOnAfterARestart() {
        HttpResponse<String> res = app.post("/api/settings/import", document("9223372036854775807"));
        assertEquals(400, res.statusCode(), res.body());
        assertTrue(res.body().contains("\"version\""), res.body());
        assertEquals(400, app.post("/api/settings/import", document("1e30")).statusCode());

        assertEquals(200, app.post("/api/settings/import", document("9007199254740991")).statusCode(),
                "the highest version a document may carry");
        app.close();
        app = TestAppliance.start(dir);
        HttpResponse<String> put = app.put("/api/settings/exceptions", "{\"ignoreNumbers\": [], \"ignoreExtensions\": []}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("\"9007199254740992\"", put.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void invisibleAndControlCharactersAreRefusedWhereverTheyAre() {
        HttpResponse<String> res = app.put("/api/settings/inbound-routes", """
                {"routes": [{"did": "_4951000XXX", "name": "\\u202eevil\\u0000\\n", "defaultResponsibleUserId": 2}]}""");
        assertEquals(400, res.statusCode(), res.body());
        assertTrue(res.body().contains("routes[0].name") && res.body().contains("U+202E"), res.body());

        HttpResponse<String> tasks = app.put("/api/settings/task-templates", """
                {"templates": [{"id": "missed", "title": "Call back {phone}",
                                "description": "Missed call.\\nCall back today."}]}""");
        assertEquals(200, tasks.statusCode(), "a task's description may hold line breaks: " + tasks.body());
    }

    @Test
    void fiftyThousandRoutesAreRefused() {
        StringBuilder routes = new StringBuilder("{\"routes\": [");
        for (int i = 0; i < 50_000; i++) {
            routes.append(i == 0 ? "" : ",").append("{\"did\": \"").append(4950000000L + i)
                    .append("\", \"name\": \"r\", \"defaultResponsibleUserId\": 2}");
        }
        HttpResponse<String> res = app.put("/api/settings/inbound-routes", routes.append("]}").toString());
        assertEquals(400, res.statusCode());
        assertTrue(res.body().contains("at most 1000"), res.body().substring(0, Math.min(300, res.body().length())));
    }

    @Test
    void aRatingsDateOutOfRangeIsA400() {
        assertEquals(400, app.get("/api/ratings?since=%2B1000000000-01-01T00%3A00%3A00Z").statusCode());
    }
}
