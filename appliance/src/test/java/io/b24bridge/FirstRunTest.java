package io.b24bridge;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.access.Role;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ConfigLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first administrator, with no default password anywhere: a one-time setup token in a file only root and the
 * service's user read, or {@code b24bridge admin create} on the machine.
 */
class FirstRunTest {

    @TempDir
    Path dir;

    @Test
    void theSetupTokenMakesTheFirstAdministratorOnce() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        Path config = TestAppliance.writeConfig(dir, pki);
        Appliance app = Main.start(ConfigLoader.load(config, Map.of()));
        try (HttpClient http = HttpClient.newBuilder()
                .sslContext(TestTls.context(pki.trustStore(), null, pki.password())).build()) {
            Path tokenFile = app.config().storage().dir().resolve("keys/setup-token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).strip();
            String url = app.adminUrl();
            HttpResponse<String> needed = http.send(HttpRequest.newBuilder(URI.create(url + "/api/setup"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"needed\":true}", needed.body());

            assertEquals(403, setup(http, url, "not-the-token", "root-admin").statusCode());
            HttpResponse<String> made = setup(http, url, token, "root-admin");
            assertEquals(201, made.statusCode(), made.body());
            assertFalse(Files.exists(tokenFile), "the token is spent");
            assertEquals(403, setup(http, url, token, "second-admin").statusCode(), "once");
            assertEquals(Role.ADMIN, app.access().accounts().find("root-admin").orElseThrow().role());
        } finally {
            app.stop();
        }
    }

    private static HttpResponse<String> setup(HttpClient http, String url, String token, String name)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/api/setup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"setupToken\": \"" + token + "\", \"name\": \"" + name
                        + "\", \"password\": \"a-long-enough-password\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminCreateOnTheMachineMakesAnAccountWithoutTheApplianceRunning() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        Path config = TestAppliance.writeConfig(dir, pki);
        Path password = Files.writeString(dir.resolve("pw"), "operator-password-1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"admin", "create", "--config", config.toString(), "--name", "ops",
                "--password-file", password.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("account 'ops' (admin) made"));

        Appliance app = Main.start(ConfigLoader.load(config, Map.of()));
        try {
            assertTrue(app.access().accounts().verifyPassword("ops", "operator-password-1".toCharArray()).isPresent());
            assertFalse(Files.exists(app.config().storage().dir().resolve("keys/setup-token")),
                    "an account exists: no setup token");
        } finally {
            app.stop();
        }
    }
}
