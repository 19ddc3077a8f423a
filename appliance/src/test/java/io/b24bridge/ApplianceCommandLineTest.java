package io.b24bridge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.certs.DevPki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appliance started, used and stopped the way an operator does it: its own process, signals, commands. */
class ApplianceCommandLineTest {

    // a JVM start with Derby migrations took over 30 s on a fresh CI machine at load average 15
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** The example configuration, moved to this folder by environment overrides (as the installer does). */
    private Map<String, String> exampleEnvironment(DevPki.Files pki) {
        return Map.of(
                "B24BRIDGE_STORAGE_DIR", dir.resolve("data").toString(),
                "B24BRIDGE_LISTENERS_BOX_PORT", "0",
                "B24BRIDGE_LISTENERS_BOX_KEYSTORE", pki.applianceServer().toString(),
                "B24BRIDGE_LISTENERS_BOX_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString(),
                "B24BRIDGE_LISTENERS_BOX_TRUSTSTORE", pki.trustStore().toString(),
                "B24BRIDGE_LISTENERS_ADMIN_PORT", "0",
                "B24BRIDGE_LISTENERS_ADMIN_KEYSTORE", pki.applianceServer().toString(),
                "B24BRIDGE_LISTENERS_ADMIN_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString());
    }

    @Test
    void startsFromTheExampleConfigAnswersHealthAndStopsCleanlyOnSigterm() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        Path example = Path.of("..", "docs", "b24bridge.example.yaml").toAbsolutePath();
        try (ApplianceProcess p = ApplianceProcess.start(exampleEnvironment(pki), "run", "--config", example.toString())) {
            p.awaitLine("is up in", START);
            String healthUrl = p.awaitLine("health:", START).replaceFirst(".*health:\\s+", "").strip();
            try (HttpClient client = HttpClient.newBuilder()
                    .sslContext(TestTls.context(pki.trustStore(), null, pki.password())).build()) {
                HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(healthUrl)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, res.statusCode());
                assertTrue(res.body().contains("\"status\":\"UP\""), res.body());
            }
            int exit = p.terminate(Duration.ofSeconds(20));
            assertEquals(143, exit, "SIGTERM ends the JVM after the shutdown hook ran; output:\n" + p.output());
            assertTrue(p.output().contains("b24bridge stopped in"), p.output());
            assertTrue(p.output().contains("database closed cleanly"), p.output());
        }
        // a clean shutdown leaves no lock behind: the next start needs no recovery and finds its schema
        String derbyLog = Files.readString(dir.resolve("data").resolve("derby.log"));
        assertTrue(derbyLog.contains("Shutting down instance") || derbyLog.contains("shut down"), derbyLog);
    }

    @Test
    void aBrokenConfigStopsTheStartWithOneLineNamingTheKey() throws Exception {
        Path config = dir.resolve("broken.yaml");
        Files.writeString(config, """
                storage:
                  dir: data
                listeners:
                  box:
                    port: 8443x
                """);
        try (ApplianceProcess p = ApplianceProcess.start(Map.of(), "--config", config.toString())) {
            assertEquals(Main.EXIT_BAD_CONFIG, p.waitFor(START));
            String out = p.output();
            assertTrue(out.contains("b24bridge: cannot start: configuration key 'listeners.box.port'"), out);
            assertEquals(1, out.lines().filter(l -> l.contains("cannot start")).count(), out);
            assertFalse(out.contains("Exception"), "no stack trace for a bad value:\n" + out);
        }
    }

    @Test
    void backupAsksTheRunningApplianceAndWorksOfflineToo() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        Path config = TestAppliance.writeConfig(dir, pki);
        // fixed ports: the backup command reaches the running appliance through the configured admin port
        int adminPort = freePort();
        Map<String, String> env = Map.of("B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(adminPort));
        try (ApplianceProcess running = ApplianceProcess.start(env, "--config", config.toString())) {
            running.awaitLine("is up in", START);
            try (ApplianceProcess backup = ApplianceProcess.start(env, "backup", "--config", config.toString(),
                    "--to", dir.resolve("online").toString())) {
                assertEquals(0, backup.waitFor(START), backup.output());
                assertTrue(Files.isRegularFile(backupFolder(backup.output()).resolve("service.properties")),
                        backup.output());
            }
            running.terminate(Duration.ofSeconds(20));
        }
        try (ApplianceProcess offline = ApplianceProcess.start(Map.of(), "backup", "--config", config.toString(),
                "--to", dir.resolve("offline").toString())) {
            assertEquals(0, offline.waitFor(START), offline.output());
            Path made = backupFolder(offline.output());
            assertTrue(made.startsWith(dir.resolve("offline")), offline.output());
            try (ApplianceProcess restore = ApplianceProcess.start(Map.of(), "restore", "--config", config.toString(),
                    "--from", made.toString())) {
                assertEquals(0, restore.waitFor(START), restore.output());
            }
        }
    }

    @Test
    void noSecretAppearsInWhatTheApplianceprints() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        String password = new String(pki.password());
        Path config = dir.resolve("inline.yaml");
        // the worst case: the password written inline, and again through the environment
        Files.writeString(config, Files.readString(TestAppliance.writeConfig(dir, pki))
                .replaceFirst("keystore-password-file: \\S+", "keystore-password: " + password));
        Map<String, String> env = Map.of("B24BRIDGE_LISTENERS_ADMIN_KEYSTORE__PASSWORD", password,
                "B24BRIDGE_LISTENERS_ADMIN_KEYSTORE__PASSWORD__FILE", "");
        try (ApplianceProcess p = ApplianceProcess.start(env, "--config", config.toString())) {
            p.awaitLine("is up in", START);
            p.terminate(Duration.ofSeconds(20));
            assertFalse(p.output().contains(password), p.output());
        }
    }

    private static Path backupFolder(String output) {
        Matcher m = Pattern.compile("backup written: (\\S+)").matcher(output);
        assertTrue(m.find(), output);
        return Path.of(m.group(1));
    }

    private static int freePort() throws java.io.IOException {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }
}
