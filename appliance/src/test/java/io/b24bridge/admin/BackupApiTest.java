package io.b24bridge.admin;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review probe P4 (F2c): {@code POST /api/store/backup {"dir": "/any/path"}} wrote a world-readable copy of the
 * database (calls, numbers, encrypted tokens) into any folder the service could write, for anyone, as often as asked.
 */
class BackupApiTest {

    private static final ObjectMapper MAPPER = Json.newMapper();

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;
    TestAppliance app;

    @BeforeEach
    void start() {
        app = TestAppliance.start(dir.resolve("a"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aBackupGoesOnlyUnderTheBackupsFolderOwnerOnlyAtMostOnceAMinute() throws Exception {
        HttpResponse<String> anonymous = app.anonymous(HttpRequest.newBuilder(app.adminUri("/api/store/backup"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"dir\": \"" + elsewhere + "\"}")));
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> outside = app.post("/api/store/backup", "{\"dir\": \"" + elsewhere + "\"}");
        assertEquals(400, outside.statusCode(), outside.body());
        assertEquals(400, app.post("/api/store/backup", "{\"dir\": \"../../x\"}").statusCode());
        try (var left = Files.list(elsewhere)) {
            assertEquals(0, left.count(), "nothing was written elsewhere");
        }

        HttpResponse<String> made = app.post("/api/store/backup", "{}");
        assertEquals(200, made.statusCode(), made.body());
        Path db = Path.of(MAPPER.readTree(made.body()).path("backup").asText());
        assertTrue(db.startsWith(app.config().storage().dir().resolve("backups").toAbsolutePath()), db.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                db.resolve("service.properties"))));

        HttpResponse<String> again = app.post("/api/store/backup", "{}");
        assertEquals(429, again.statusCode(), "a whole copy of the database is not made in a loop");
        assertTrue(again.headers().firstValue("Retry-After").isPresent());

        String audit = app.get("/api/audit?action=store").body();
        assertTrue(audit.contains("\"outcome\":\"OK\"") && audit.contains("\"outcome\":\"REFUSED\""), audit);
    }
}
