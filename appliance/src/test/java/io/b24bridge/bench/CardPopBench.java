package io.b24bridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.asterisk.AmiClient;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.AsteriskSettings;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.Scenario;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;

/**
 * Not a test: the card-pop time on the real Asterisk — from the PBX's AMI event that starts a phone ringing
 * (DialBegin, its own {@code Timestamp}) to the register that pops the card arriving at the box emulator —
 * over N real PJSIP calls placed {@code interval} apart (so many ring at once). Prints median, p90, p99, max.
 * Needs root and the Asterisk root (docs/asterisk/README.md).
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.bench.CardPopBench [N] [intervalMs]
 * </pre>
 */
public final class CardPopBench {

    private CardPopBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 100;
        Path dir = Files.createTempDirectory("b24bridge-cardpop");
        Scenario scenario = Scenario.base().named("card-pop")
                .withPbxFile("b24bridge.conf", Path.of("..", "docs", "asterisk", "b24bridge.conf"))
                .withPbxFile("b24bridge-site.conf", "[b24bridge-site]\nexten => _X.,1,Goto(did-routes,${EXTEN},1)\n");
        try (AsteriskPair pbx = AsteriskPair.start(AsteriskSettings.fromEnvironment(), scenario)) {
            pbx.awaitIdle(Duration.ofSeconds(20));
            pbx.reset(); // as the JUnit extension does before each test: no calls, default behaviours
            DevPki.Files pki = DevPki.ensure(dir.resolve("appliance").resolve("tls"), List.of("localhost", "127.0.0.1"));
            BoxEmulator emu = EmulatedBox.builder(pki).seedDemo(true).requestLogSize(1000).build().start();
            String pbxSection = """
                    pbx:
                      - id: pbx1
                        host: %s
                        port: %d
                        username: %s
                        secret: %s
                        recordings-dir: %s
                        recordings-pbx-dir: /var/spool/asterisk-pbx/monitor
                    """.formatted(pbx.pbxAmi().host(), pbx.pbxAmi().port(), pbx.pbxAmi().user(), pbx.pbxAmi().secret(),
                            pbx.recordingsDir())
                    .replace("%", "%%");
            try (TestAppliance app = TestAppliance.start(dir.resolve("appliance"),
                    EmulatedBox.applicationSection(emu) + pbxSection)) {
                app.armInstall();
                emu.install(app.publicUri("/bitrix24/events")).delivery().get();
                app.put("/api/settings/inbound-routes", """
                        {"routes": [{"did": "_4951000XXX", "name": "all", "defaultResponsibleUserId": 4}]}""");
                // our own AMI listener: when did the PBX start ringing a phone for each call?
                Map<String, Instant> firstRing = new ConcurrentHashMap<>();
                try (AmiClient ami = connect(pbx)) {
                    ami.addListener(m -> {
                        if ("DialBegin".equals(m.event()) && m.get("DestChannel") != null
                                && m.get("DestChannel").startsWith("PJSIP/1") && m.get("Timestamp") != null) {
                            double ts = Double.parseDouble(m.get("Timestamp"));
                            firstRing.putIfAbsent(m.get("Linkedid"),
                                    Instant.ofEpochSecond((long) ts, Math.round((ts % 1) * 1e9)));
                        }
                    });
                    Thread.sleep(1500);
                    pbx.phone("101", PhoneBehaviour.answers(Duration.ofSeconds(1), Duration.ofSeconds(1)));
                    Thread monitor = Thread.ofVirtual().start(() -> {
                        try {
                            while (true) {
                                Thread.sleep(2000);
                                System.out.printf("  [t] calls followed %d, outbox %s, dispatcher %s%n",
                                        app.appliance().engine().callsInProgress(), app.appliance().outbox().report().counts(),
                                        app.appliance().sender().status());
                            }
                        } catch (InterruptedException | RuntimeException e) {
                            // the bench ends
                        }
                    });
                    List<WorldCall> calls = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        calls.add(pbx.placeInboundCall("4951000101", "7916" + String.format("%07d", i),
                                WorldScript.staysUntilHungUp()));
                        Thread.sleep(intervalMs);
                    }
                    for (WorldCall c : calls) {
                        c.awaitEnd(Duration.ofSeconds(60));
                    }
                    Thread.sleep(3000);
                    monitor.interrupt();
                }
                List<Long> micros = new ArrayList<>();
                for (CallView c : emu.state().calls()) {
                    String linkedid = c.externalCallId().substring(c.externalCallId().indexOf(':') + 1);
                    Instant ring = firstRing.get(linkedid);
                    if (ring != null) {
                        micros.add(Duration.between(ring, c.registeredAt()).toNanos() / 1000);
                    }
                }
                Collections.sort(micros);
                System.out.printf("card pop on the real Asterisk: %d calls placed, %d rang a phone, %d registered, "
                        + "one placed every %d ms%n", n, firstRing.size(), emu.state().calls().size(), intervalMs);
                System.out.printf("  DialBegin (AMI Timestamp) -> register received by the box emulator:%n");
                System.out.printf("  median %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms%n", q(micros, 0.5),
                        q(micros, 0.9), q(micros, 0.99), micros.getLast() / 1000.0);
            }
            emu.stop();
        }
        System.exit(0);
    }

    private static AmiClient connect(AsteriskPair pbx) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return AmiClient.connect(pbx.pbxAmi(), Duration.ofSeconds(5), raw -> { });
            } catch (java.io.IOException e) {
                if (System.nanoTime() > end) {
                    System.err.println(Files.readString(pbx.pbxLog()));
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static double q(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1000.0;
    }
}
