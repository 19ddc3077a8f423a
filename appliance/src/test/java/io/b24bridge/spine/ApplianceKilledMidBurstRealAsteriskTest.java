package io.b24bridge.spine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.ApplianceProcess;
import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance killed with SIGKILL in the middle of a burst of calls and started again: every call reaches
 * the CRM, none twice. The appliance runs as an operator runs it, in its own JVM; the PBX is the real Asterisk.
 */
class ApplianceKilledMidBurstRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration START = Duration.ofSeconds(40);

    @TempDir
    Path dir;
    BoxEmulator emu;
    ApplianceProcess appliance;

    @AfterEach
    void stop() throws Exception {
        if (appliance != null) {
            appliance.terminate(Duration.ofSeconds(20));
        }
        if (emu != null) {
            emu.stop();
        }
    }

    @Test
    void nothingLostNothingDoubled(AsteriskPair pbx) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).seedDemo(true).build().start();
        Path config = TestAppliance.writeConfig(dir, pki);
        Files.writeString(config, Files.readString(config) + EmulatedBox.applicationSection(emu).formatted(
                pki.applianceClient(), pki.passwordFile(), pki.trustStore()) + SpineRig.pbxSection(pbx).replace("%%", "%"));
        int boxPort = freePort();
        int adminPort = freePort();
        Map<String, String> env = Map.of("B24BRIDGE_LISTENERS_BOX_PORT", String.valueOf(boxPort),
                "B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(adminPort));

        appliance = ApplianceProcess.start(env, "--config", config.toString());
        appliance.awaitLine("is up in", START);
        emu.install("https://127.0.0.1:" + boxPort + "/bitrix24/events").delivery().get(10, TimeUnit.SECONDS);
        try (HttpClient admin = HttpClient.newBuilder().sslContext(TestTls.context(pki.trustStore(), null,
                pki.password())).build()) {
            HttpResponse<String> put = admin.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + adminPort
                    + "/api/settings/inbound-routes")).PUT(HttpRequest.BodyPublishers.ofString(SpineRig.INBOUND_ROUTES))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
        }
        Thread.sleep(1000); // the AMI link

        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(5)));
        List<WorldCall> calls = new ArrayList<>();
        int count = 12;
        for (int i = 0; i < count; i++) {
            calls.add(pbx.placeInboundCall("4951000101", number(i), WorldScript.staysUntilHungUp()));
            Thread.sleep(400);
            if (i == 4) {
                appliance.kill();                                 // mid-burst, no warning
                appliance = ApplianceProcess.start(env, "--config", config.toString());
            }
        }
        appliance.awaitLine("is up in", START);
        for (WorldCall c : calls) {
            assertEquals("16", c.awaitEnd(Duration.ofSeconds(40)), "the calls themselves went on");
        }

        SpineRig.await(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < count; i++) {
                String n = "+" + number(i);
                List<CallView> found = emu.state().calls().stream().filter(c -> n.equals(c.phoneNumber())).toList();
                if (found.size() != 1 || !found.getFirst().finished()) {
                    return false;
                }
            }
            return true;
        }, "every call finished in the CRM: " + summary(count));

        for (int i = 0; i < count; i++) {
            String n = "+" + number(i);
            List<CallView> found = emu.state().calls().stream().filter(c -> n.equals(c.phoneNumber())).toList();
            assertEquals(1, found.size(), "one call in the CRM for " + n);
            assertEquals(1, emu.state().activitiesOf(found.getFirst().callId()).size(), "one activity for " + n);
            assertTrue(found.getFirst().duration() >= 3, n + " talked: " + found.getFirst().duration());
        }
    }

    private String summary(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String n = "+" + number(i);
            sb.append(n).append('=').append(emu.state().calls().stream().filter(c -> n.equals(c.phoneNumber()))
                    .map(CallView::status).toList()).append(' ');
        }
        return sb.toString();
    }

    private static String number(int i) {
        return "7999200" + String.format("%04d", i);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
