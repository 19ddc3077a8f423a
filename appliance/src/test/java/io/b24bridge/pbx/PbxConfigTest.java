package io.b24bridge.pbx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.config.Secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code pbx} list of the configuration file: typed, defaulted, checked like the rest. */
class PbxConfigTest {

    @TempDir
    Path dir;

    @BeforeEach
    void pki() throws IOException {
        DevPki.ensure(dir.resolve("tls"), List.of("localhost"));
        Files.writeString(dir.resolve("ami.secret"), "from-a-file\n");
    }

    private ApplianceConfig load(String pbxSection) throws IOException {
        return load(pbxSection, Map.of());
    }

    private ApplianceConfig load(String pbxSection, Map<String, String> env) throws IOException {
        Path file = dir.resolve("b24bridge.yaml");
        Files.writeString(file, """
                listeners:
                  box:
                    keystore: tls/appliance-server.p12
                    keystore-password-file: tls/store.pass
                    truststore: tls/trust.p12
                  admin:
                    keystore: tls/appliance-server.p12
                    keystore-password-file: tls/store.pass
                """ + pbxSection);
        return ConfigLoader.load(file, env);
    }

    @Test
    void noPbxSectionMeansNoPbx() throws IOException {
        assertEquals(List.of(), load("").pbx());
    }

    @Test
    void theFastAgiListenerDefaultsToAsterisksPortOnLoopbackAndCanBeMovedOrTurnedOff() throws IOException {
        assertEquals(new ApplianceConfig.Agi("127.0.0.1", 4573), load("").agi());
        assertEquals(new ApplianceConfig.Agi("10.0.0.2", 4574), load("""
                agi:
                  host: 10.0.0.2
                  port: 4574
                """).agi());
        assertFalse(load("", Map.of("B24BRIDGE_AGI_PORT", "0")).agi().enabled(), "0 turns routing off");
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                agi:
                  prot: 4574
                """));
        assertTrue(e.getMessage().contains("agi.prot"), e.getMessage());
    }

    @Test
    void aMinimalEntryGetsTheDefaults() throws IOException {
        ApplianceConfig.Pbx p = load("""
                pbx:
                  - id: pbx1
                    host: 10.0.0.5
                    username: b24bridge
                    secret-file: ami.secret
                """).pbx().getFirst();
        assertEquals("pbx1", p.id());
        assertEquals("10.0.0.5", p.host());
        assertEquals(5038, p.port());
        assertEquals(Secret.of("from-a-file"), p.secret());
        assertTrue(p.extensionPattern().matcher("101").matches());
        assertFalse(p.extensionPattern().matcher("trunk").matches());
        assertEquals(Set.of(), p.trunks());
        assertEquals(Optional.empty(), p.recordingsDir());
        assertEquals(Duration.ofSeconds(1), p.reconnectMin());
        assertEquals(Duration.ofSeconds(30), p.reconnectMax());
        assertEquals(Duration.ofSeconds(10), p.pingInterval());

        AmiSettings s = AmiSettings.of(p);
        assertEquals(Duration.ofSeconds(60), s.loginRetry(), "a refused login is retried every minute");
        assertFalse(s.toString().contains("from-a-file"), "the secret is never printed");
    }

    @Test
    void everyKeyIsRead() throws IOException {
        List<ApplianceConfig.Pbx> list = load("""
                pbx:
                  - id: main
                    host: pbx.corp.local
                    port: 5039
                    username: crm
                    secret: inline
                    extension-pattern: "[1-4][0-9]{2}"
                    trunks: [mts, "199"]
                    recordings-dir: /mnt/pbx/monitor
                    reconnect-min: 500ms
                    reconnect-max: 1m
                    ping-interval: 5s
                  - id: branch
                    host: 10.1.0.5
                    username: crm
                    secret: other
                    trunks: "beeline, megafon"
                """).pbx();
        ApplianceConfig.Pbx main = list.getFirst();
        assertEquals(5039, main.port());
        assertEquals(Set.of("mts", "199"), main.trunks());
        assertTrue(main.extensionPattern().matcher("250").matches());
        assertEquals(Optional.of(Path.of("/mnt/pbx/monitor")), main.recordingsDir());
        assertEquals(Duration.ofMillis(500), main.reconnectMin());
        assertEquals(Duration.ofMinutes(1), main.reconnectMax());
        assertEquals(Duration.ofSeconds(5), main.pingInterval());
        assertEquals(Set.of("beeline", "megafon"), list.get(1).trunks(), "a comma-separated value works too");
        assertEquals(List.of("main", "branch"), list.stream().map(ApplianceConfig.Pbx::id).toList(), "file order");
    }

    @Test
    void anUnknownKeyInAnEntryStopsTheStart() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - id: pbx1
                    host: 10.0.0.5
                    username: b24bridge
                    secret: s
                    pingintervall: 5s
                """));
        assertTrue(e.getMessage().contains("unknown configuration key 'pbx.0.pingintervall'"), e.getMessage());
    }

    @Test
    void idsAreUniqueAndShort() {
        ConfigException twice = assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: pbx1, host: a, username: u, secret: s}
                  - {id: PBX1, host: b, username: u, secret: s}
                """));
        assertTrue(twice.getMessage().contains("'pbx.1.id'") && twice.getMessage().contains("unique"),
                twice.getMessage());
        ConfigException colon = assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: "main:1", host: a, username: u, secret: s}
                """));
        assertTrue(colon.getMessage().contains("prefixes call ids"), colon.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u}
                """)).getMessage().contains("'pbx.0.secret' (in "));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, extension-pattern: "[0-9"}
                """)).getMessage().contains("is not a regular expression"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, reconnect-min: 10s, reconnect-max: 5s}
                """)).getMessage().contains("reconnect-max"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, ping-interval: 100ms}
                """)).getMessage().contains("between 1s and 5m"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, secret-file: ami.secret}
                """)).getMessage().contains("not both"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx: {id: p}
                """)).getMessage().contains("must be a list"));
    }

    @Test
    void anInlineSecretIsNeverRepeatedInAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: "Sup3rS3cret", port: eighty}
                """));
        assertFalse(e.getMessage().contains("Sup3rS3cret"));
        assertTrue(e.getMessage().contains("'pbx.0.port'"));
    }

    @Test
    void anEntryCanBeOverriddenFromTheEnvironment() throws IOException {
        ApplianceConfig.Pbx p = load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s}
                """, Map.of("B24BRIDGE_PBX_0_HOST", "10.9.9.9")).pbx().getFirst();
        assertEquals("10.9.9.9", p.host());
    }

    @Test
    void freePbxsRecordsInSqlAreReadWithTheirZoneAndReconciledOnASchedule() throws IOException {
        Files.writeString(dir.resolve("cdr.pass"), "cdr-secret\n");
        ApplianceConfig.Pbx p = load("""
                pbx:
                  - id: freepbx
                    host: a
                    username: u
                    secret: s
                    cdr-sql:
                      url: jdbc:mariadb://10.0.0.5:3306/asteriskcdrdb
                      username: cdr
                      password-file: cdr.pass
                      time-zone: Europe/Moscow
                    reconcile-every: 5m
                    reconcile-lookback: 2d
                """).pbx().getFirst();
        ApplianceConfig.CdrSql sql = p.cdrSql().orElseThrow();
        assertEquals("jdbc:mariadb://10.0.0.5:3306/asteriskcdrdb", sql.url());
        assertEquals("cdr-secret", sql.password().revealString());
        assertEquals("cdr", sql.table(), "FreePBX's table by default");
        assertEquals(java.time.ZoneId.of("Europe/Moscow"), sql.timeZone());
        assertEquals(Duration.ofMinutes(5), p.reconcileEvery());
        assertEquals(Duration.ofDays(2), p.reconcileLookback());
        assertTrue(p.readsRecords());
    }

    @Test
    void theRecordsSourcesAndScheduleAreChecked() {
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, cdr-csv: /x/Master.csv,
                     cdr-sql: {url: "jdbc:mariadb://h/asteriskcdrdb", username: c, password: p}}
                """)).getMessage().contains("two sources"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, cdr-sql: {url: "jdbc:postgresql://h/x", username: c, password: p}}
                """)).getMessage().contains("MariaDB JDBC URL"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s,
                     cdr-sql: {url: "jdbc:mariadb://h/x", username: c, password: p, table: "cdr; DROP TABLE cdr"}}
                """)).getMessage().contains("must be a table name"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s,
                     cdr-sql: {url: "jdbc:mariadb://h/x", username: c, password: p, time-zone: Mars/Olympus}}
                """)).getMessage().contains("not a time zone"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                pbx:
                  - {id: p, host: a, username: u, secret: s, reconcile-every: 1s}
                """)).getMessage().contains("between 5s and 1d"));
    }
}
