package io.b24bridge.testkit.asterisk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's plain parts, without an Asterisk. */
class HarnessSettingsTest {

    @Test
    void defaultsAreTheLoopbackLayout() {
        AsteriskSettings s = AsteriskSettings.fromSources(Map.of(), Map.of());
        assertEquals(AsteriskSettings.DEFAULT_ROOT, s.root());
        assertEquals(new AmiEndpoint("127.0.0.1", 5038, "b24bridge", "test-secret"), s.pbxAmi());
        assertEquals(5039, s.worldAmi().port());
        assertEquals("127.0.0.1/127.0.0.2/127.0.0.3:5060",
                s.pbxSipHost() + "/" + s.carrierSipHost() + "/" + s.phonesSipHost() + ":" + s.sipPort());
        assertFalse(s.build() || s.required() || s.keep());
        assertFalse(s.pbxAmi().toString().contains("test-secret"), "the secret stays out of logs");
    }

    @Test
    void propertiesWinOverTheEnvironment() {
        AsteriskSettings s = AsteriskSettings.fromSources(
                Map.of("b24bridge.asterisk.pbxAmiPort", "6038"),
                Map.of("B24TEST_ASTERISK_PBX_AMI_PORT", "7038", "B24TEST_ASTERISK_WORLD_AMI_PORT", "7039",
                        "B24TEST_ASTERISK_REQUIRED", "1", "B24TEST_ASTERISK_ROOT", "/tmp/x/../r"));
        assertEquals(6038, s.pbxAmiPort());
        assertEquals(7039, s.worldAmiPort());
        assertTrue(s.required());
        assertEquals(Path.of("/tmp/r"), s.root());
    }

    @Test
    void everyAddressStaysOnLoopback() {
        assertThrows(IllegalArgumentException.class, () -> AsteriskSettings.fromSources(
                Map.of("b24bridge.asterisk.carrierSipHost", "192.0.2.1"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AsteriskSettings.fromSources(
                Map.of("b24bridge.asterisk.phonesSipHost", "127.0.0.2"), Map.of()));
    }

    @Test
    void templatesFillKnownPlaceholdersAndRefuseUnknownOnes() {
        assertEquals("port = 5038\nsip:101@127.0.0.3:5060 Goto(internal,102,1) @trunk",
                ConfigWriter.render("port = @PORT@\nsip:101@@HOST@:5060 Goto(internal,102,1) @trunk",
                        Map.of("PORT", "5038", "HOST", "127.0.0.3"), "t"));
        assertThrows(IllegalArgumentException.class, () -> ConfigWriter.render("x = @NOPE@", Map.of(), "t"));
    }

    @Test
    void theBaseConfigsAreListedAndFullyRendered() throws Exception {
        Map<String, String> values = AsteriskSettings.fromSources(Map.of(), Map.of()).placeholders();
        for (String instance : new String[] {"pbx", "world"}) {
            Path dir = Path.of("src/main/resources/asterisk", instance);
            Set<String> onDisk;
            try (Stream<Path> files = Files.list(dir)) {
                onDisk = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("FILES")).collect(Collectors.toSet());
            }
            Map<String, String> listed = ConfigWriter.baseFiles(instance);
            assertEquals(onDisk, listed.keySet(), instance + "/FILES lists every base config");
            listed.forEach((name, text) -> ConfigWriter.render(text, values, instance + "/" + name));
        }
    }

    @Test
    void scenarioFilesAreNamesNotPaths() {
        assertThrows(IllegalArgumentException.class, () -> Scenario.base().withPbxFile("../x.conf", ""));
        assertEquals(Scenario.base().withPbxFile("a.conf", "x"), Scenario.base().withPbxFile("a.conf", "x"),
                "equal scenarios share a pair");
    }

    @Test
    void scriptsAndBehavioursSayWhatTheWorldDialplanReads() {
        assertEquals("answer/1.500/0.000", PhoneBehaviour.answersAndStays(java.time.Duration.ofMillis(1500)).dbValue());
        assertEquals("busy", PhoneBehaviour.busy().dbValue());
        assertThrows(IllegalArgumentException.class, () -> WorldScript.staysUntilHungUp().sendingDtmf(java.time.Duration.ZERO, "1x"));
    }

    @Test
    void aMissingRootIsASkipThatNamesTheFix() throws Exception {
        AsteriskSettings s = AsteriskSettings.fromSources(Map.of("b24bridge.asterisk.root", "/nonexistent/asterisk-root"), Map.of());
        SharedPair shared = new SharedPair(s);
        SharedPair.CannotRun first = assertThrows(SharedPair.CannotRun.class, () -> shared.acquire(Scenario.base()));
        if ("0".equals(Preflight.effectiveUid())) {
            assertTrue(first.getMessage().contains("testkit/asterisk/build-root.sh /nonexistent/asterisk-root"), first.getMessage());
        } else {
            assertTrue(first.getMessage().contains("needs root"), first.getMessage());
        }
        SharedPair.CannotRun again = assertThrows(SharedPair.CannotRun.class, () -> shared.acquire(Scenario.base()));
        assertEquals(first.getMessage(), again.getMessage(), "decided once");
        shared.close();
    }
}
