package io.b24bridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.certs.DevPki;
import io.b24bridge.tls.TlsMaterial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path dir;
    DevPki.Files pki;

    @BeforeEach
    void pki() {
        pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost"));
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("b24bridge.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private String valid() {
        return """
                storage:
                  dir: data
                listeners:
                  box:
                    port: 8443
                    keystore: tls/appliance-server.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                  admin:
                    port: 9443
                    keystore: tls/appliance-server.p12
                    keystore-password-file: tls/store.pass
                """;
    }

    @Test
    void theShippedExampleIsValidOnceItsFilesExist() throws IOException {
        // the example points at /etc/b24bridge/...; the overrides an installer would set move it here
        Path example = Path.of("..", "docs", "b24bridge.example.yaml");
        Map<String, String> env = Map.of(
                "B24BRIDGE_STORAGE_DIR", dir.resolve("data").toString(),
                "B24BRIDGE_LISTENERS_BOX_KEYSTORE", pki.applianceServer().toString(),
                "B24BRIDGE_LISTENERS_BOX_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString(),
                "B24BRIDGE_LISTENERS_BOX_TRUSTSTORE", pki.trustStore().toString(),
                "B24BRIDGE_LISTENERS_ADMIN_KEYSTORE", pki.applianceServer().toString(),
                "B24BRIDGE_LISTENERS_ADMIN_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString());
        ApplianceConfig config = ConfigLoader.load(example, env);
        assertEquals(8443, config.boxListener().port());
        assertEquals("127.0.0.1", config.adminListener().host(), "the admin listener is loopback by default");
        assertEquals(ApplianceConfig.ClientAuth.REQUIRED, config.boxListener().clientAuth());
        assertEquals(Duration.ofSeconds(10), config.shutdownGrace());
    }

    @Test
    void theExamplesCommentedBoxAndPbxBlockIsValidOnceUncommented() throws IOException {
        // an operator drops the leading "# " of the block between the markers: what they get must load
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "b24bridge.example.yaml"));
        int from = lines.indexOf("# >>> box and PBX");
        int to = lines.indexOf("# <<< box and PBX");
        assertTrue(from > 0 && to > from, "the example marks its box and PBX block");
        StringBuilder yaml = new StringBuilder();
        lines.subList(0, from).forEach(l -> yaml.append(l).append('\n'));
        lines.subList(from + 1, to).forEach(l -> yaml.append(l.startsWith("# ") ? l.substring(2) : "").append('\n'));
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "s3cret\n");
        Path example = write(yaml.toString());
        Map<String, String> env = Map.ofEntries(
                Map.entry("B24BRIDGE_STORAGE_DIR", dir.resolve("data").toString()),
                Map.entry("B24BRIDGE_LISTENERS_BOX_KEYSTORE", pki.applianceServer().toString()),
                Map.entry("B24BRIDGE_LISTENERS_BOX_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString()),
                Map.entry("B24BRIDGE_LISTENERS_BOX_TRUSTSTORE", pki.trustStore().toString()),
                Map.entry("B24BRIDGE_LISTENERS_ADMIN_KEYSTORE", pki.applianceServer().toString()),
                Map.entry("B24BRIDGE_LISTENERS_ADMIN_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString()),
                Map.entry("B24BRIDGE_BITRIX24_MODULE_CREDENTIAL__FILE", secret.toString()),
                Map.entry("B24BRIDGE_BITRIX24_TLS_KEYSTORE", pki.applianceClient().toString()),
                Map.entry("B24BRIDGE_BITRIX24_TLS_KEYSTORE__PASSWORD__FILE", pki.passwordFile().toString()),
                Map.entry("B24BRIDGE_BITRIX24_TLS_TRUSTSTORE", pki.trustStore().toString()),
                Map.entry("B24BRIDGE_PBX_0_SECRET__FILE", secret.toString()),
                Map.entry("B24BRIDGE_PBX_0_RECORDINGS__DIR", dir.toString()));
        ApplianceConfig config = ConfigLoader.load(example, env);
        ApplianceConfig.Bitrix24 box = config.bitrix24().orElseThrow();
        assertEquals(ApplianceConfig.AuthMode.MODULE, box.auth(), "the example is an air-gapped box's");
        assertEquals("s3cret", box.module().orElseThrow().credential().revealString());
        assertEquals(1, config.pbx().size());
        assertEquals("pbx1", config.pbx().getFirst().id());
        assertEquals(java.util.Set.of("mts", "beeline"), config.pbx().getFirst().trunks());
        assertEquals(4573, config.agi().port());
    }

    @Test
    void relativePathsAreTakenFromTheFilesFolder() throws IOException {
        ApplianceConfig config = ConfigLoader.load(write(valid()), Map.of());
        assertEquals(dir.resolve("data").toAbsolutePath(), config.storage().dir().toAbsolutePath());
        assertEquals(pki.trustStore().toAbsolutePath(), config.boxListener().tls().truststore().orElseThrow().toAbsolutePath());
        assertEquals(Duration.ofSeconds(10), config.shutdownGrace(), "default grace");
    }

    @Test
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anUnknownKeyInTheFileStopsTheStartAndIsNamed() throws IOException {
        Path file = write(valid().replace("port: 9443", "port: 9443\n    prot: 1"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("'listeners.admin.prot'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown configuration key"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one clear line");
    }

    @Test
    void anUnknownKeyFromTheEnvironmentNamesTheVariable() throws IOException {
        Path file = write(valid());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Map.of("B24BRIDGE_STORAGE_DIRR", "/x")));
        assertTrue(e.getMessage().contains("'storage.dirr'"), e.getMessage());
        assertTrue(e.getMessage().contains("B24BRIDGE_STORAGE_DIRR"), e.getMessage());
    }

    @Test
    void retentionHasSaneDefaultsAndNeverForgetsCallsReconciliationStillCompares() throws IOException {
        ApplianceConfig defaults = ConfigLoader.load(write(valid()), Map.of());
        assertEquals(ApplianceConfig.Retention.DEFAULTS, defaults.storage().retention());

        ApplianceConfig set = ConfigLoader.load(write(valid().replace("  dir: data\n", """
                  dir: data
                  retention:
                    done-commands: 7d
                    finished-calls: 14d
                    settings-history: 90d
                    backups: 10d
                    recordings: 5d
                """)), Map.of());
        assertEquals(new ApplianceConfig.Retention(Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(90),
                Duration.ofDays(10), Optional.of(Duration.ofDays(5))), set.storage().retention());

        Path pastItsCommands = write(valid().replace("  dir: data\n",
                "  dir: data\n  retention:\n    done-commands: 7d\n    recordings: 7d\n"));
        ConfigException late = assertThrows(ConfigException.class, () -> ConfigLoader.load(pastItsCommands, Map.of()));
        assertTrue(late.getMessage().startsWith("configuration key 'storage.retention.recordings'"), late.getMessage());

        Path tooShort = write(valid().replace("  dir: data\n", "  dir: data\n  retention:\n    finished-calls: 1d\n")
                + "pbx:\n  - id: pbx1\n    host: 127.0.0.1\n    username: u\n    secret: s\n    reconcile-lookback: 1d\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(tooShort, Map.of()));
        assertTrue(e.getMessage().startsWith("configuration key 'storage.retention.finished-calls'"), e.getMessage());
    }

    @Test
    void aBadValueIsNamedWithTheKey() throws IOException {
        Path file = write(valid().replace("port: 8443", "port: eighty"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith("configuration key 'listeners.box.port'"), e.getMessage());
        assertTrue(e.getMessage().contains("'eighty' is not a whole number"), e.getMessage());

        Path big = write(valid().replace("port: 8443", "port: 70000"));
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(big, Map.of()));
        assertTrue(e.getMessage().contains("listeners.box.port") && e.getMessage().contains("out of range"), e.getMessage());

        Path grace = write(valid() + "shutdown:\n  grace: soon\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(grace, Map.of()));
        assertTrue(e.getMessage().contains("'shutdown.grace'") && e.getMessage().contains("not a duration"), e.getMessage());
    }

    @Test
    void aMissingKeystoreFileIsNamed() throws IOException {
        Path file = write(valid().replace("keystore: tls/appliance-server.p12\n    keystore-password-file: tls/store.pass\n    truststore",
                "keystore: tls/missing.p12\n    keystore-password-file: tls/store.pass\n    truststore"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("'listeners.box.keystore'") && e.getMessage().contains("missing.p12"),
                e.getMessage());
    }

    @Test
    void theBoxListenerCannotBeMadeOneWayTls() throws IOException {
        Path file = write(valid().replace("truststore: tls/trust.p12", "truststore: tls/trust.p12\n    client-auth: none"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("listeners.box.client-auth"), e.getMessage());
    }

    @Test
    void environmentOverridesWinOverTheFile() throws IOException {
        ApplianceConfig config = ConfigLoader.load(write(valid()), Map.of(
                "B24BRIDGE_LISTENERS_ADMIN_PORT", "9555",
                "B24BRIDGE_SHUTDOWN_GRACE", "1500ms",
                "PATH", "/usr/bin"));
        assertEquals(9555, config.adminListener().port());
        assertEquals(Duration.ofMillis(1500), config.shutdownGrace());
    }

    @Test
    void environmentVariableNamesMapToKeys() {
        assertEquals("listeners.box.keystore-password-file",
                ConfigLoader.keyOfEnvironmentVariable("B24BRIDGE_LISTENERS_BOX_KEYSTORE__PASSWORD__FILE"));
    }

    @Test
    void anInlinePasswordIsNeverRepeatedInAnError() throws IOException {
        String secret = "Sup3r-Secret-Pa55";
        Path file = write(valid().replaceFirst("keystore-password-file: tls/store.pass",
                "keystore-password: " + secret));
        ApplianceConfig config = ConfigLoader.load(file, Map.of());
        assertFalse(config.toString().contains(secret), "the configuration prints its secrets as ****");
        // the password is wrong for that keystore: the error names the file, never the password
        ConfigException e = assertThrows(ConfigException.class, () -> TlsMaterial.load(config.boxListener().tls()));
        assertTrue(e.getMessage().contains("appliance-server.p12"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void givingAPasswordTwiceIsRefused() throws IOException {
        Path file = write(valid().replaceFirst("keystore-password-file: tls/store.pass",
                "keystore-password-file: tls/store.pass\n    keystore-password: x"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void aSecretPrintsAsStars() {
        assertEquals("****", Secret.of("hunter2").toString());
        assertEquals("hunter2", Secret.of("hunter2").revealString());
    }

    private String withBox(String section) {
        return valid() + section;
    }

    @Test
    void theBoxSectionIsTypedAndCheckedLikeTheRest() throws IOException {
        ApplianceConfig config = ConfigLoader.load(write(withBox("""
                bitrix24:
                  url: https://crm.corp.local/
                  application:
                    client-id: local.abc
                    client-secret-file: tls/store.pass
                  tls:
                    keystore: tls/appliance-client.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                  rate-limit:
                    per-second: 2
                """)), Map.of());
        ApplianceConfig.Bitrix24 box = config.bitrix24().orElseThrow();
        assertEquals("https://crm.corp.local", box.url().toString());
        assertEquals(ApplianceConfig.AuthMode.APPLICATION, box.auth(), "application auth is the default");
        assertTrue(box.application().orElseThrow().tokenEndpoint().isEmpty(),
                "a box serves no /oauth/token/: renewal goes where the install event says, else oauth.bitrix.info");
        assertEquals(2, box.ratePerSecond());
        assertTrue(ConfigLoader.load(write(valid()), Map.of()).bitrix24().isEmpty(), "no section: not configured");
    }

    @Test
    void moduleAuthNeedsOnlyTheCredentialFileAndIsImpliedByItsSection() throws IOException {
        ApplianceConfig config = ConfigLoader.load(write(withBox("""
                bitrix24:
                  url: https://crm.corp.local:8444
                  module:
                    credential-file: tls/store.pass
                  tls:
                    keystore: tls/appliance-client.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                """)), Map.of());
        ApplianceConfig.Bitrix24 box = config.bitrix24().orElseThrow();
        assertEquals(ApplianceConfig.AuthMode.MODULE, box.auth(), "the module's section says the mode");
        ApplianceConfig.Module m = box.module().orElseThrow();
        assertEquals("local.b24bridge.connector", m.clientId());
        assertEquals("https://crm.corp.local:8444/bitrix/services/b24bridge.connector/token.php",
                m.tokenEndpoint().toString());
        assertEquals(Duration.ofSeconds(25), m.pullWait());
    }

    @Test
    void withoutAnyAuthSectionTheModulesIsAskedFor() throws IOException {
        Path file = write(withBox("""
                bitrix24:
                  url: https://crm.corp.local:8444
                  tls:
                    keystore: tls/appliance-client.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                """));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("'bitrix24.module'") && e.getMessage().contains("credential-file"),
                e.getMessage());
    }

    @Test
    void aPullWaitBeyondTheModulesIsRefused() throws IOException {
        Path file = write(withBox("""
                bitrix24:
                  url: https://crm.corp.local:8444
                  module:
                    credential-file: tls/store.pass
                    pull-wait: 60s
                  tls:
                    keystore: tls/appliance-client.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                """));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("pull-wait"), e.getMessage());
    }

    @Test
    void theBoxMustBeReachedOverHttps() throws IOException {
        Path file = write(withBox("bitrix24:\n  url: http://crm.corp.local\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("'bitrix24.url'") && e.getMessage().contains("https"), e.getMessage());
    }

    @Test
    void webhookModeNeedsItsWebhook() throws IOException {
        Path file = write(withBox("""
                bitrix24:
                  url: https://crm.corp.local
                  auth: webhook
                  tls:
                    keystore: tls/appliance-client.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                """));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("'bitrix24.webhook'"), e.getMessage());
    }
}
