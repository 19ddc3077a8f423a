package io.b24bridge.testkit.bitrix;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.certs.DevPki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator as a program: its options, and a real start in its own JVM answering over mutual TLS. */
class BoxEmulatorMainTest {

    @TempDir
    static Path dir;

    @Test
    void missingOrWrongOptionsAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(List.of("--plain-http")))
                .getMessage().contains("--port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(List.of("--port", "0")))
                .getMessage().contains("--keystore"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(
                List.of("--port", "0", "--plain-http", "--deployment", "moon"))).getMessage()
                .contains("cloud-connected, air-gapped or with-module"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(
                List.of("--port", "0", "--plain-http", "--auth-rules", "older"))).getMessage().contains("source or docs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(
                List.of("--port", "0", "--plain-http", "--mode", "older"))).getMessage().contains("--auth-rules"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(
                List.of("--port", "0", "--plain-http", "--edge-proxy", "9445"))).getMessage().contains("PORT=https://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BoxEmulatorMain.parse(
                List.of("--port", "0", "--plain-http", "--fly"))).getMessage().contains("--fly"));
    }

    @Test
    void theProgramServesTheDemoBoxOverMutualTlsUntilStopped() throws Exception {
        DevPki.Files pki = TestBox.pki(dir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                BoxEmulatorMain.class.getName(), "--port", "0", "--keystore", pki.boxServer().toString(),
                "--keystore-password-file", pki.passwordFile().toString(), "--truststore", pki.trustStore().toString(),
                "--client-keystore", pki.boxClient().toString(), "--require-client-cert", "--deployment", "air-gapped",
                "--auth-rules", "docs", "--seed", "demo", "--webhook", "2:clihook", "--edge-proxy", "0=https://127.0.0.1:1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // a JVM starting on a loaded CI machine took over 30 s (main 43d40ed): success returns at once
            String url = CompletableFuture.supplyAsync(() -> firstUrl(out)).get(120, TimeUnit.SECONDS);

            try (HttpClient client = TestBox.client(pki, pki.applianceClient())) {
                HttpResponse<String> state = client.send(HttpRequest.newBuilder(URI.create(url + "/_emulator/state"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode s = TestBox.JSON.readTree(state.body());
                assertEquals("AIR_GAPPED", s.path("deployment").asText());
                assertEquals("DOCS", s.path("authRules").asText());
                assertEquals("101", s.path("users").get(1).path("innerPhone").asText(), "the demo seed");
                HttpResponse<String> hook = client.send(HttpRequest.newBuilder(URI.create(url + "/rest/2/clihook/profile"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, hook.statusCode(), hook.body());
                assertEquals("Ivan", TestBox.JSON.readTree(hook.body()).path("result").path("NAME").asText());
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the program stops on SIGTERM");
        }
    }

    private static String firstUrl(BufferedReader out) {
        Pattern url = Pattern.compile("box emulator: (https://\\S+)");
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher m = url.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the program ended without printing its URL");
    }

    @Test
    void theSecretFilesAreReadNotTheirNames() throws Exception {
        Path secret = Files.writeString(dir.resolve("client.secret"), "s3cret\n");
        BoxEmulator emu = BoxEmulatorMain.parse(List.of("--port", "0", "--plain-http", "--client-id", "local.x.1",
                "--client-secret-file", secret.toString())).build();
        assertEquals("s3cret", emu.clientSecret());
        assertEquals("local.x.1", emu.clientId());
        emu.close();
    }
}
