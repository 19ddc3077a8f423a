package io.b24bridge.spine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.testkit.asterisk.AmiClient;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.AsteriskSettings;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;

/**
 * Not a test (a main; it lives beside {@link SpineRig}, which it uses): the time from a website callback form in the
 * box to the operator's phone ringing on the real Asterisk, on each event path — the b24bridge module's queue (pulled)
 * and Bitrix's cloud queue (POSTed through the edge proxy). Measured from the emulator raising OnExternalCallBackStart
 * to the PBX's {@code Newstate} Ringing of the originated {@code PJSIP/101} channel (its AMI Timestamp; the same host's
 * clock), one form at a time; in between the appliance reads the form's entity and registers the callback in the box.
 * Each form is a new visitor (a new lead), so none is a repeat. Prints median, p90, p99, max per path. Needs root and
 * the Asterisk root (docs/asterisk/README.md).
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.spine.CallbackRingBench [N]
 * </pre>
 */
public final class CallbackRingBench {

    private CallbackRingBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("b24bridge-callbackring");
        try (AsteriskPair pbx = AsteriskPair.start(AsteriskSettings.fromEnvironment(), SpineRig.SCENARIO)) {
            pbx.awaitIdle(Duration.ofSeconds(20));
            pbx.reset();
            LinkedBlockingQueue<Instant> rings = new LinkedBlockingQueue<>();
            try (AmiClient ami = AmiClient.connect(pbx.pbxAmi(), Duration.ofSeconds(5), raw -> { })) {
                ami.addListener(m -> {
                    if ("Newstate".equals(m.event()) && "5".equals(m.get("ChannelState"))
                            && m.get("Channel") != null && m.get("Channel").startsWith("PJSIP/101-")
                            && m.get("Timestamp") != null) {
                        double ts = Double.parseDouble(m.get("Timestamp"));
                        rings.add(Instant.ofEpochSecond((long) ts, Math.round((ts % 1) * 1e9)));
                    }
                });
                measure("the b24bridge module's queue (pulled)", SpineRig.startWithModule(dir.resolve("module"), pbx),
                        pbx, rings, n, 0);
                SpineRig cloud = SpineRig.start(dir.resolve("cloud"), pbx);
                new CrmApi(cloud.app.appliance().box().client()).bindEvent("OnExternalCallBackStart",
                        cloud.app.publicUri("/bitrix24/events"));
                measure("Bitrix's cloud queue (POSTed through the edge proxy)", cloud, pbx, rings, n, 5000);
            }
        }
        System.exit(0);
    }

    private static void measure(String path, SpineRig rig, AsteriskPair pbx, LinkedBlockingQueue<Instant> rings, int n,
                                int firstVisitor) throws Exception {
        try (rig) {
            rig.settings("click-to-call", """
                    {"enabled": true, "originateContext": "from-phones", "clientRingTimeoutSeconds": 5}""");
            rig.settings("callback", """
                    {"enabled": true, "target": {"type": "EXTENSION", "value": "101"}, "retries": 0,
                     "operatorRingTimeoutSeconds": 10, "fallbackUserId": 1}""");
            // the operator's phone rings a second, answers and hangs up a second later; the client is busy: each
            // callback is over in about three seconds
            pbx.phone("101", PhoneBehaviour.answers(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < n + 3; i++) {
                String number = "+7916555" + String.format("%04d", firstVisitor + i);
                pbx.outside(number.substring(1), PhoneBehaviour.busy());
                rings.clear();
                Instant asked = Instant.now();
                rig.emu.callback(number, "", null);
                Instant ring = rings.poll(20, TimeUnit.SECONDS);
                if (ring == null) {
                    throw new IllegalStateException("the phone did not ring for callback " + i);
                }
                if (i >= 3) { // the first forms warm the JIT, the connections and the user directory
                    micros.add(Duration.between(asked, ring).toNanos() / 1000);
                }
                SpineRig.await(Duration.ofSeconds(30), () -> rig.calls(c -> number.equals(c.phoneNumber())
                        && c.finished()).size() == 1, "callback " + i + " finished");
            }
            Collections.sort(micros);
            System.out.printf("callback form -> operator's phone ringing, %s: %d forms%n", path, micros.size());
            System.out.printf("  median %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms%n", q(micros, 0.5),
                    q(micros, 0.9), q(micros, 0.99), micros.getLast() / 1000.0);
        }
    }

    private static double q(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1000.0;
    }
}
