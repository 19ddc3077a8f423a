package io.b24bridge.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.pbx.AgiClient;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.Faults;

/**
 * Not a test: how long the FastAGI routing answer takes, measured as Asterisk waits for it — from the TCP
 * connect to the script's end (the {@code agi_*} environment, the decision, every SET VARIABLE answered), by
 * an in-JVM stand-in for res_agi against the whole appliance (its FastAGI listener, routing, the box client
 * over mutual TLS to the box emulator with the demo CRM). Sequential requests, after a warm-up; deadline
 * 1500 ms (the default).
 * <ol>
 *   <li>warm cache: the demo's three clients and an unknown number, over and over (the cache hit path: no
 *       network);</li>
 *   <li>cold cache, box up: a new number every time (one searchCrmEntities each);</li>
 *   <li>box down (connection refused), new numbers;</li>
 *   <li>box hung (answers after 10 s), new numbers, for 25 s: the deadline, then answers without waiting
 *       while the box is known to be away, the deadline again after each {@code AWAY_PAUSE}.</li>
 * </ol>
 * <pre>
 * ../mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.bench.AgiDecisionBench [N]
 * </pre>
 */
public final class AgiDecisionBench {

    private static final String DID = "4952000001";
    private static final String[] KNOWN = {"79162000001", "79032000002", "79262000003", "79990000000"};

    private AgiDecisionBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        java.util.logging.LogManager.getLogManager().reset(); // the hung box's retries would flood the console
        Path dir = Files.createTempDirectory("b24bridge-agi-bench");
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        BoxEmulator emu = EmulatedBox.builder(pki).requestLogSize(1000).seedDemo(true).build().start();
        int agiPort = freePort();
        String config = EmulatedBox.applicationSection(emu) + """
                pbx:
                  - id: bench
                    host: 127.0.0.1
                    port: %d
                    username: b24bridge
                    secret: unused
                agi:
                  host: 127.0.0.1
                  port: %d
                """.formatted(freePort(), agiPort);
        try (TestAppliance app = TestAppliance.start(dir, config)) {
            app.armInstall();
            emu.install(app.publicUri("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS);
            app.put("/api/settings/routing", "{\"mobileTrunk\": \"trunk\"}");
            app.put("/api/settings/inbound-routes", """
                    {"routes": [{"did": "%s", "name": "Sales", "defaultResponsibleUserId": 4,
                                 "routeToResponsible": true, "forwardToMobile": true, "offerRating": true,
                                 "fallback": {"type": "QUEUE", "value": "support"}}]}""".formatted(DID));

            for (int i = 0; i < Math.max(1000, n / 5); i++) {
                ask(agiPort, KNOWN[i % KNOWN.length]);
            }
            report("warm cache (known and unknown callers)", measure(n, i -> ask(agiPort, KNOWN[i % KNOWN.length])));

            report("cold cache, box up (searchCrmEntities each)", measure(Math.min(n, 2000),
                    i -> ask(agiPort, "7991" + String.format("%07d", i))));

            emu.faults().outage(Faults.Outage.REFUSED);
            report("box down (refused), new numbers", measure(Math.min(n, 2000),
                    i -> ask(agiPort, "7992" + String.format("%07d", i))));
            emu.faults().outage(Faults.Outage.NONE);
            Thread.sleep(11_000); // the box is back: the next failure starts from a box thought to be up

            emu.faults().latency(Duration.ofSeconds(10));
            List<Long> hung = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                hung.add(ask(agiPort, "7993" + String.format("%07d", i)));
                Thread.sleep(20);
            }
            report("box hung (10 s latency), new numbers, one every 20 ms for 25 s",
                    hung.stream().mapToLong(Long::longValue).toArray());
            emu.faults().latency(Duration.ZERO);
        } finally {
            emu.stop();
        }
        System.exit(0);
    }

    private interface Request {
        long run(int i) throws Exception;
    }

    private static long[] measure(int n, Request r) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            nanos[i] = r.run(i);
        }
        return nanos;
    }

    private static long ask(int port, String caller) throws Exception {
        AgiClient.Answer a = AgiClient.request("127.0.0.1", port, "route", DID, caller, DID, caller);
        if (a.get("B24_TARGETS") == null) {
            throw new IllegalStateException("no answer: " + a.variables());
        }
        return a.nanos();
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long over500 = Arrays.stream(sorted).filter(x -> x > 500_000_000L).count();
        System.out.printf("%s: %d requests%n  median %.3f ms   p90 %.3f ms   p99 %.3f ms   max %.3f ms   (%d over 500 ms)%n",
                what, sorted.length, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, over500);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
