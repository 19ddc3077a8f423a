package io.b24bridge.bitrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review F9: a token key that does not belong to the database (restored on another host, {@code keys/} lost) used
 * to stop the start (exit 1, then a systemd restart loop) with advice that could not be followed while the appliance
 * was down. Now it starts, says what is wrong in /health, and a new install heals it.
 */
class TokenKeyMismatchTest {

    @TempDir
    Path dir;

    @Test
    void aForeignKeyIsReportedAndANewInstallHealsIt() throws Exception {
        String box = TestAppliance.bitrix24Section("https://127.0.0.1:9");
        Path key;
        try (TestAppliance app = TestAppliance.start(dir, box)) {
            app.appliance().box().client().installed(BoxClientFixtures.tokens("APP-1"));
            key = app.config().storage().dir().resolve("keys/bitrix24-tokens.key");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Files.delete(key); // the keys folder was not restored with the database: a new key is made at the start

        try (TestAppliance app = TestAppliance.start(dir, box)) {
            JsonNode part = Json.newMapper().readTree(app.get("/health").body()).at("/parts/bitrix24");
            assertEquals("KEY_MISMATCH", part.at("/facts/authState").asText(), part.toString());
            assertEquals("DOWN", part.at("/state").asText());
            assertTrue(part.at("/detail").asText().contains("reinstall"), part.toString());

            app.appliance().box().client().installed(BoxClientFixtures.tokens("APP-2"));
            part = Json.newMapper().readTree(app.get("/health").body()).at("/parts/bitrix24");
            assertTrue(!part.at("/facts/authState").asText().equals("KEY_MISMATCH"), part.toString());
        }
    }
}
