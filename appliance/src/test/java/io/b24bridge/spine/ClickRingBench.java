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

import io.b24bridge.testkit.asterisk.AmiClient;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.AsteriskSettings;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.bitrix.Dispatch;

/**
 * Not a test (a main; it lives beside {@link SpineRig}, which it uses): the time from a click in the box to the clicking
 * user's phone ringing on the real Asterisk, on each event path — the b24bridge module's queue (pulled) and Bitrix's
 * cloud queue (POSTed through the edge proxy). Measured from the emulator raising OnExternalCallStart (the box has
 * registered the call) to the PBX's {@code Newstate} Ringing of the originated {@code PJSIP/101} channel (its AMI
 * Timestamp; the same host's clock), one click at a time. Prints median, p90, p99, max per path. Needs root and the
 * Asterisk root (docs/asterisk/README.md).
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.spine.ClickRingBench [N]
 * </pre>
 */
public final class ClickRingBench {

    private ClickRingBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("b24bridge-clickring");
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
                        pbx, rings, n);
                measure("Bitrix's cloud queue (POSTed through the edge proxy)",
                        SpineRig.start(dir.resolve("cloud"), pbx), pbx, rings, n);
            }
        }
        System.exit(0);
    }

    private static void measure(String path, SpineRig rig, AsteriskPair pbx, LinkedBlockingQueue<Instant> rings, int n)
            throws Exception {
        try (rig) {
            rig.settings("click-to-call", """
                    {"enabled": true, "originateContext": "from-phones", "operatorRingTimeoutSeconds": 10,
                     "clientRingTimeoutSeconds": 5}""");
            // the operator's phone rings a second, answers and hangs up a second later; the client is busy: each
            // click is over in about three seconds
            pbx.phone("101", PhoneBehaviour.answers(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            pbx.outside("79165550000", PhoneBehaviour.busy());
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < n + 3; i++) {
                rings.clear();
                Instant clicked = Instant.now();
                Dispatch click = rig.emu.clickToCall(2, "+79165550000");
                Instant ring = rings.poll(20, TimeUnit.SECONDS);
                if (ring == null) {
                    throw new IllegalStateException("the phone did not ring for click " + i);
                }
                if (i >= 3) { // the first clicks warm the JIT, the connections and the user directory
                    micros.add(Duration.between(clicked, ring).toNanos() / 1000);
                }
                SpineRig.await(Duration.ofSeconds(30), () -> rig.emu.state().calls().stream()
                        .anyMatch(c -> c.callId().equals(click.callId()) && c.finished()), "click " + i + " finished");
            }
            Collections.sort(micros);
            System.out.printf("click -> operator's phone ringing, %s: %d clicks%n", path, micros.size());
            System.out.printf("  median %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms%n", q(micros, 0.5),
                    q(micros, 0.9), q(micros, 0.99), micros.getLast() / 1000.0);
        }
    }

    private static double q(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1000.0;
    }
}
