package io.b24bridge.spine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import io.b24bridge.testkit.bitrix.EdgeProxy;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answersAndStays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance killed with SIGKILL while calls talk and ring, and started again: every call reaches the CRM once,
 * with its real talk time — whether it was answered before the kill or during the downtime, whether it ended
 * during the downtime or after the restart, and a call that began and ended entirely during the downtime (the
 * reconciliation registers it from Master.csv). The order of what happens is set by the test (the kill while two calls
 * ring, the answers and hang-ups while the appliance is down, the restart after), not by timing luck. The appliance
 * runs as an operator runs it, in its own JVM, reading the PBX's Master.csv; the PBX is the real Asterisk.
 */
class ApplianceKilledMidBurstRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration START = Duration.ofSeconds(120); // a start with migrations on a busy 2-core machine
    /** The PBX's records count whole seconds; the world's clock is read around the answer and hang-up. */
    private static final int TOLERANCE_SECONDS = 1;

    @TempDir
    Path dir;
    BoxEmulator emu;
    EdgeProxy edge;
    ApplianceProcess appliance;
    HttpClient admin;
    int adminPort;
    String killedRunOutput = "";

    @AfterEach
    void stop() throws Exception {
        if (appliance != null) {
            appliance.terminate(Duration.ofSeconds(20));
            // both runs' logs beside the test's report, for whoever reads a failure
            System.out.println("--- the killed run:\n" + killedRunOutput + "\n--- the restarted run:\n" + appliance.output());
        }
        if (edge != null) {
            edge.close();
        }
        if (emu != null) {
            emu.stop();
        }
        if (admin != null) {
            admin.close();
        }
    }

    /** A call placed by the world, and when it was really answered and hung up. */
    private static final class Timed {
        final String number;
        final WorldCall call;
        Instant answered;
        Instant hungUp;

        Timed(String number, WorldCall call) {
            this.number = number;
            this.call = call;
        }

        void awaitAnswer() throws InterruptedException {
            assertTrue(call.awaitAnswer(Duration.ofSeconds(30)), number + " answered");
            answered = Instant.now();
        }

        void hangUp() throws IOException, InterruptedException {
            hungUp = Instant.now();
            call.hangup();
            call.awaitEnd(Duration.ofSeconds(20));
        }

        long talked() {
            return Math.round(Duration.between(answered, hungUp).toMillis() / 1000.0);
        }
    }

    @Test
    void nothingLostNothingDoubled(AsteriskPair pbx) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).seedDemo(true).build().start();
        Path masterCsv = pbx.pbxPathOnHost("/var/log/asterisk-pbx/cdr-csv/Master.csv");
        Path config = TestAppliance.writeConfig(dir, pki);
        Files.writeString(config, Files.readString(config) + EmulatedBox.applicationSection(emu).formatted(
                pki.applianceClient(), pki.passwordFile(), pki.trustStore())
                + SpineRig.pbxSection(pbx).replace("%%", "%").replace("    ping-interval: 1s\n",
                "    ping-interval: 1s\n    cdr-csv: " + masterCsv + "\n"));
        adminPort = freePort();
        Map<String, String> env = Map.of("B24BRIDGE_LISTENERS_BOX_PORT", String.valueOf(freePort()),
                "B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(adminPort));
        appliance = ApplianceProcess.start(env, "--config", config.toString());
        appliance.awaitLine("is up in", START);
        // as the operator's own tools on the machine: the local tools' credential the appliance made
        admin = HttpClient.newBuilder().sslContext(TestTls.localTools(pki.trustStore(), pki.password(),
                dir.resolve("data/keys"))).build();
        String boxPort = env.get("B24BRIDGE_LISTENERS_BOX_PORT");
        // the cloud queue presents no client certificate: it reaches the box listener through an edge proxy
        edge = EmulatedBox.edgeProxy(pki, URI.create("https://127.0.0.1:" + boxPort));
        HttpResponse<String> arm = admin.send(HttpRequest.newBuilder(adminUri("/api/bitrix24/install"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"minutes\": 5, \"replace\": true}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, arm.statusCode(), arm.body());
        assertTrue(emu.install(edge.url("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS).delivered(),
                "the install reached the appliance through the edge proxy");
        HttpResponse<String> put = admin.send(HttpRequest.newBuilder(adminUri("/api/settings/inbound-routes"))
                .PUT(HttpRequest.BodyPublishers.ofString(SpineRig.INBOUND_ROUTES))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        awaitPbxLinkUp();

        // 101 answers at once; 102 rings long enough for the appliance to be killed while it rings
        pbx.phone("101", answersAndStays(Duration.ofMillis(500)));
        pbx.phone("102", answersAndStays(Duration.ofSeconds(6)));
        Timed endsInDowntime = place(pbx, "4951000101", "79993000001");
        Timed outlivesIt = place(pbx, "4951000101", "79993000002");
        endsInDowntime.awaitAnswer();
        outlivesIt.awaitAnswer();
        Timed answeredAndEndedInDowntime = place(pbx, "4951000102", "79993000003");
        Timed answeredInDowntime = place(pbx, "4951000102", "79993000004");
        SpineRig.await(Duration.ofSeconds(30), () -> registered("+79993000003") && registered("+79993000004"),
                "the ringing calls in the CRM");
        assertFalse(answeredInDowntime.call.isAnswered() || answeredAndEndedInDowntime.call.isAnswered(),
                "102 still rings when the appliance is killed");

        appliance.kill();                                        // no warning; the calls go on
        killedRunOutput = appliance.output();

        answeredAndEndedInDowntime.awaitAnswer();
        answeredInDowntime.awaitAnswer();
        Timed wholeInDowntime = place(pbx, "4951000101", "79993000005"); // begins and ends while nobody watches
        wholeInDowntime.awaitAnswer();
        Thread.sleep(2000);                                      // talk while nobody watches
        endsInDowntime.hangUp();
        answeredAndEndedInDowntime.hangUp();
        wholeInDowntime.hangUp();

        appliance = ApplianceProcess.start(env, "--config", config.toString());
        appliance.awaitLine("is up in", START);
        awaitPbxLinkUp();
        Thread.sleep(1000);                                      // talk seen again
        outlivesIt.hangUp();
        answeredInDowntime.hangUp();

        List<Timed> all = List.of(endsInDowntime, outlivesIt, answeredAndEndedInDowntime, answeredInDowntime,
                wholeInDowntime);
        SpineRig.await(Duration.ofSeconds(90), () -> all.stream().allMatch(t -> finished("+" + t.number)),
                "every call finished in the CRM: " + summary(all));
        for (Timed t : all) {
            String n = "+" + t.number;
            List<CallView> found = emu.state().calls().stream().filter(c -> n.equals(c.phoneNumber())).toList();
            assertEquals(1, found.size(), "one call in the CRM for " + n);
            CallView c = found.getFirst();
            assertEquals(1, emu.state().activitiesOf(c.callId()).size(), "one activity for " + n);
            assertEquals("200", c.statusCode(), n + " was answered");
            assertTrue(Math.abs(c.duration() - t.talked()) <= TOLERANCE_SECONDS,
                    n + " talked " + t.talked() + " s; the CRM says " + c.duration() + " s");
            assertNotNull(emu.state().activitiesOf(c.callId()).getFirst().record(), n + ": the recording is attached");
        }
        assertEquals(2, callOf("+79993000001").finishUserId(), "101 talked");
        assertEquals(3, callOf("+79993000003").finishUserId(), "102 answered while the appliance was down");
        assertEquals(3, callOf("+79993000004").finishUserId());
        assertEquals(2, callOf("+79993000005").finishUserId(), "registered from Master.csv: 101 talked");
    }

    private Timed place(AsteriskPair pbx, String did, String number) throws IOException {
        return new Timed(number, pbx.placeInboundCall(did, number, WorldScript.staysUntilHungUp()));
    }

    private boolean registered(String number) {
        return emu.state().calls().stream().anyMatch(c -> number.equals(c.phoneNumber()));
    }

    private boolean finished(String number) {
        List<CallView> found = emu.state().calls().stream().filter(c -> number.equals(c.phoneNumber())).toList();
        return found.size() == 1 && found.getFirst().finished() && found.getFirst().record() != null;
    }

    private CallView callOf(String number) {
        return emu.state().calls().stream().filter(c -> number.equals(c.phoneNumber())).findFirst().orElseThrow();
    }

    private void awaitPbxLinkUp() throws InterruptedException {
        SpineRig.await(Duration.ofSeconds(30), () -> {
            try {
                return admin.send(HttpRequest.newBuilder(adminUri("/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("\"pbx\":{\"state\":\"UP\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, "the appliance's AMI link to the PBX");
    }

    private URI adminUri(String path) {
        return URI.create("https://127.0.0.1:" + adminPort + path);
    }

    private String summary(List<Timed> all) {
        StringBuilder sb = new StringBuilder();
        for (Timed t : all) {
            String n = "+" + t.number;
            sb.append(n).append('=').append(emu.state().calls().stream().filter(c -> n.equals(c.phoneNumber()))
                    .map(c -> c.status() + "/" + c.duration() + "s/rec " + (c.record() != null)).toList()).append(' ');
        }
        return sb.toString();
    }

    private static int freePort() throws IOException {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }
}
