package io.b24bridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.json.Json;
import io.b24bridge.testkit.bitrix.EmulatorTls;
import io.b24bridge.testkit.modulebox.ServedModuleBox;

/**
 * Not a test: the b24bridge module's link measured on real parts — the PHP module served by Debian's nginx (mutual
 * TLS) and php-fpm on the stub box, the appliance in module mode in this JVM pulling its queue. Prints
 * <ul>
 * <li>the delivery latency of an event, from the moment the box queued it ({@code queued_at}, the module's clock)
 * to the moment the appliance had it stored in its inbox ({@code BOX_EVENTS.RECEIVED_AT}): median, p90, p99, max over
 * N clicks on the box, one at a time;</li>
 * <li>what a box page pays for an event (box-module/bench/enqueue-cost.php, reused) with this appliance pulling, and
 * with it stopped.</li>
 * </ul>
 * <pre>
 * ../mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.bench.ModuleDeliveryBench [N] [clicks]
 * </pre>
 * Needs php-fpm, nginx and MariaDB (box-module/README.md).
 */
public final class ModuleDeliveryBench {

    private static final Path BOX_MODULE = Path.of("..", "box-module").toAbsolutePath().normalize();

    private ModuleDeliveryBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int clicks = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Files.createTempDirectory("b24bridge-module-bench");
        // the appliance's own development PKI (TestAppliance makes it there): nginx is told to trust its CA
        DevPki.Files pki = DevPki.ensure(dir.resolve("appliance").resolve("tls"), List.of("localhost", "127.0.0.1"));
        try (ServedModuleBox box = ServedModuleBox.start(BOX_MODULE, dir.resolve("box"), Duration.ofSeconds(120), Map.of(
                "B24BRIDGE_APPLIANCE_CA", pki.caPem().toString(),
                "B24BRIDGE_APPLIANCE_DN", EmulatorTls.subjectOf(pki.applianceClient(), pki.password())))) {
            TestAppliance app = TestAppliance.start(dir.resolve("appliance"), section(box, pki, dir));
            try {
                awaitStored(app, 1, Duration.ofSeconds(60)); // the install
                System.out.printf("b24bridge module link: %d cores, served box (nginx + php-fpm + MariaDB) and the "
                        + "appliance on one machine%n", Runtime.getRuntime().availableProcessors());
                latency(app, box, n);
                System.out.println(php(box, clicks, "external").replace("(appliance external)",
                        "(appliance up, pulling)"));
            } finally {
                app.close();
            }
            System.out.println(php(box, clicks, "down"));
        }
    }

    /** N clicks one after the other, each waited for in the inbox: queued → stored. */
    private static void latency(TestAppliance app, ServedModuleBox box, int n) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int before = stored(app);
        for (int i = 0; i < n; i++) {
            box.box(json.createObjectNode().put("box", "click").put("user", 2)
                    .put("number", String.format("+7903%07d", i)));
            awaitStored(app, before + i + 1, Duration.ofSeconds(30));
        }
        List<Double> millis = new ArrayList<>();
        ObjectMapper mapper = Json.newMapper();
        try (var c = app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT PAYLOAD, RECEIVED_AT FROM BOX_EVENTS "
                     + "WHERE EVENT = 'ONEXTERNALCALLSTART' ORDER BY ID")) {
            while (rs.next()) {
                JsonNode payload = mapper.readTree(rs.getString(1));
                Instant queued = Instant.parse(payload.path("queued_at").asText());
                millis.add(Duration.between(queued, rs.getTimestamp(2).toInstant()).toNanos() / 1e6);
            }
        }
        Collections.sort(millis);
        System.out.printf("event delivery, queued on the box → stored in the appliance's inbox, %d clicks one at a "
                        + "time:%n  median %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms%n", millis.size(),
                q(millis, 0.5), q(millis, 0.9), q(millis, 0.99), millis.getLast());
    }

    private static double q(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static int stored(TestAppliance app) throws Exception {
        try (var c = app.appliance().db().connection();
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM BOX_EVENTS")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitStored(TestAppliance app, int n, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (stored(app) < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not " + n + " events stored within " + within);
            }
            Thread.sleep(5);
        }
    }

    /** box-module/bench/enqueue-cost.php on the served box's database: its three lines. */
    private static String php(ServedModuleBox box, int clicks, String appliance) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("php", BOX_MODULE.resolve("bench/enqueue-cost.php").toString(),
                box.certs().getParent().toString(), String.valueOf(clicks), appliance).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("enqueue-cost.php failed: " + out);
        }
        return out;
    }

    /** The appliance in module mode for the served box: its nginx, its credential, its box CA trusted. */
    private static String section(ServedModuleBox box, DevPki.Files pki, Path dir) throws Exception {
        Path trust = dir.resolve("served-box-trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(box.certs().resolve("box-ca.crt"))) {
            ks.setCertificateEntry("box-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(trust)) {
            ks.store(out, pki.password());
        }
        return """
                bitrix24:
                  url: %s
                  auth: module
                  module:
                    credential-file: %s
                  tls:
                    keystore: %%1$s
                    keystore-password-file: %%2$s
                    truststore: %s
                """.formatted(box.applianceUrl(), box.credentialFile(), trust);
    }
}
