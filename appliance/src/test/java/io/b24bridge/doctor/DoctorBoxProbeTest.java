package io.b24bridge.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.AuthRules;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code doctor} says what this box accepts, against the box emulator's deployments: whether the box reaches its OAuth
 * server (as far as its answers tell), each method the product uses with the configured auth, and the b24bridge
 * module's presence and state — in plain words with what to do.
 */
class DoctorBoxProbeTest {

    @TempDir
    Path dir;
    BoxEmulator emu;
    // probe timeouts are generous: every probe here reaches a local server that answers; a busy CI machine must not
    // turn its slow TLS handshake into a finding
    private final Doctor doctor = new Doctor(cmd -> Optional.empty(), 0, 0, Duration.ofSeconds(10));

    @AfterEach
    void stop() {
        emu.stop();
    }

    private DevPki.Files pki() {
        return DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
    }

    private List<Finding> check(String section) {
        Path config = TestAppliance.writeConfig(dir, pki());
        try {
            Files.writeString(config, Files.readString(config) + section.formatted(pki().applianceClient(),
                    pki().passwordFile(), pki().trustStore()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return doctor.check(config, Map.of());
    }

    private static Finding find(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }

    @Test
    void anAirGappedBoxWithTheModuleTakesEverythingThroughItAndSaysItsState() {
        emu = EmulatedBox.withModule(pki()).seedDemo(true).build().start();
        List<Finding> f = check(EmulatedBox.moduleSection(emu, dir.resolve("secrets/module-credential")));

        assertEquals(Finding.Level.OK, find(f, "bitrix24.oauth-server").level());
        assertTrue(find(f, "bitrix24.oauth-server").message().contains("air-gapped"));
        assertEquals(Finding.Level.OK, find(f, "bitrix24.auth").level(), find(f, "bitrix24.auth").message());
        assertTrue(find(f, "bitrix24.auth").message().contains("takes module auth for every method"));
        Finding module = find(f, "bitrix24.module");
        assertEquals(Finding.Level.OK, module.level(), module.message());
        assertTrue(module.message().contains("b24bridge.connector 1.0.0, armed; 1 event(s) waiting (oldest ONAPPINSTALL"),
                module.message());
        Finding clicks = find(f, "bitrix24.click-lines");
        assertEquals(Finding.Level.OK, clicks.level(), clicks.message());
        assertTrue(clicks.message().contains("the 3 user(s) with an extension click through b24bridge's line"),
                clicks.message());
    }

    @Test
    void aUserWhoseOutgoingLineIsAnotherApplicationsIsNamedWithTheWayToFixIt() {
        emu = EmulatedBox.withModule(pki()).seedDemo(true).build().start();
        emu.setOutgoingLine(3, "REST_APP:7");
        List<Finding> f = check(EmulatedBox.moduleSection(emu, dir.resolve("secrets/module-credential")));

        Finding clicks = find(f, "bitrix24.click-lines");
        assertEquals(Finding.Level.WARN, clicks.level(), clicks.message());
        assertTrue(clicks.message().contains("1 of 3 user(s)") && clicks.message().contains(
                "user 3 Maria Sidorova (extension 102) → REST_APP:7") && clicks.message().contains("telephony settings"),
                clicks.message());
    }

    @Test
    void aDisarmedModuleIsAFailWithWhoFixesIt() {
        emu = EmulatedBox.withModule(pki()).seedDemo(true).build().start();
        String section = EmulatedBox.moduleSection(emu, dir.resolve("secrets/module-credential"));
        emu.module().disarm();

        List<Finding> f = check(section);

        assertTrue(f.stream().anyMatch(x -> x.level() == Finding.Level.FAIL && x.message().contains("MODULE_NOT_ARMED")
                && x.message().contains("arms the module")), f.toString());
    }

    @Test
    void anAirGappedBoxWithAWebhookWorksForCallsButCannotSendEvents() {
        emu = EmulatedBox.builder(pki()).deployment(Deployment.AIR_GAPPED).seedDemo(true)
                .webhook(1, "hooksecret", Set.of()).build().start();
        List<Finding> f = check(EmulatedBox.webhookSection(emu, 1, "hooksecret"));

        assertEquals(Finding.Level.OK, find(f, "bitrix24.auth").level(), find(f, "bitrix24.auth").message());
        Finding oauth = find(f, "bitrix24.oauth-server");
        assertEquals(Finding.Level.WARN, oauth.level());
        assertTrue(oauth.message().contains("no event") && oauth.message().contains("b24bridge module"), oauth.message());
    }

    @Test
    void aBoxThatRefusesWebhooksForTelephonyNamesEachMethodAndTheWayOut() {
        emu = EmulatedBox.builder(pki()).deployment(Deployment.AIR_GAPPED).authRules(AuthRules.DOCS).seedDemo(true)
                .webhook(1, "hooksecret", Set.of()).build().start();
        List<Finding> f = check(EmulatedBox.webhookSection(emu, 1, "hooksecret"));

        Finding register = find(f, "bitrix24.auth.telephony.externalcall.register");
        assertEquals(Finding.Level.FAIL, register.level());
        assertTrue(register.message().contains("WRONG_AUTH_TYPE") && register.message().contains("auth: module"),
                register.message());
        assertEquals(Finding.Level.FAIL, find(f, "bitrix24.auth.telephony.externalcall.finish").level());
        assertTrue(f.stream().noneMatch(x -> x.check().equals("bitrix24.auth.telephony.externalcall.show")),
                "show has no auth-type check on any box");
    }

    @Test
    void theModuleOnABoxReachedAnotherWayIsPointedOut() {
        emu = EmulatedBox.withModule(pki()).seedDemo(true).webhook(1, "hooksecret", Set.of()).build().start();
        List<Finding> f = check(EmulatedBox.webhookSection(emu, 1, "hooksecret"));

        Finding module = find(f, "bitrix24.module");
        assertEquals(Finding.Level.WARN, module.level());
        assertTrue(module.message().contains("set auth: module"), module.message());
    }
}
