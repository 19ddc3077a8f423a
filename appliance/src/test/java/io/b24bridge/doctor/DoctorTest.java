package io.b24bridge.doctor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each doctor check, its good and its bad path. */
class DoctorTest {

    @TempDir
    Path dir;

    // probe timeouts are generous: every probe here reaches a local server that answers; a busy CI machine must not
    // turn its slow TLS handshake into a finding
    private final Doctor doctor = new Doctor(cmd -> Optional.empty(), 0, 0, Duration.ofSeconds(10));

    // ---- configuration

    @Test
    void aConfigurationThatDoesNotLoadFailsAndStopsTheOtherChecks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = doctor.report(dir.resolve("missing.yaml"), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, status);
        assertTrue(text.startsWith("FAIL  config") && text.contains("does not exist"), text);
        assertTrue(text.contains("0 OK, 0 WARN, 1 FAIL"), text);
    }

    @Test
    void aGoodInstallationHasNoFailAndExitsZero() {
        Path config = TestAppliance.writeConfig(dir, pki(dir, "localhost", "127.0.0.1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = doctor.report(config, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("OK    config"), text);
        assertTrue(text.contains("OK    certs.box-listener") && text.contains("OK    certs.admin-listener"), text);
        assertTrue(text.contains("WARN  bitrix24") && text.contains("not configured"), text);
        assertTrue(text.contains("OK    pbx") && text.contains("not configured"), text);
    }

    // ---- certificates

    @Test
    void certificatesOkWarnSoonAndFailWhenExpiredOrForTheWrongUse() throws Exception {
        Instant now = Instant.now();
        assertEquals(Finding.Level.OK, CertificateCheck.check("c", tls(cert(now.plus(Duration.ofDays(90)),
                KeyPurposeId.id_kp_serverAuth)), CertificateCheck.SERVER_AUTH, now).level());

        Finding soon = CertificateCheck.check("c", tls(cert(now.plus(Duration.ofDays(10)), KeyPurposeId.id_kp_serverAuth)),
                CertificateCheck.SERVER_AUTH, now);
        assertEquals(Finding.Level.WARN, soon.level());
        assertTrue(soon.message().contains("expires in 9 days") || soon.message().contains("expires in 10 days"), soon.message());

        Finding expired = CertificateCheck.check("c", tls(cert(now.minus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth)),
                CertificateCheck.SERVER_AUTH, now);
        assertEquals(Finding.Level.FAIL, expired.level());
        assertTrue(expired.message().contains("expired on"), expired.message());

        Finding wrongUse = CertificateCheck.check("c", tls(cert(now.plus(Duration.ofDays(90)), KeyPurposeId.id_kp_clientAuth)),
                CertificateCheck.SERVER_AUTH, now);
        assertEquals(Finding.Level.FAIL, wrongUse.level());
        assertTrue(wrongUse.message().contains("not allowed for serverAuth"), wrongUse.message());

        Finding wrongPassword = CertificateCheck.check("c", new ApplianceConfig.Tls(cert(now.plus(Duration.ofDays(90)),
                KeyPurposeId.id_kp_serverAuth), Secret.of("nope"), Optional.empty(), Optional.empty(), Optional.empty()),
                CertificateCheck.SERVER_AUTH, now);
        assertEquals(Finding.Level.FAIL, wrongPassword.level());
        assertTrue(wrongPassword.message().contains("cannot be opened"), wrongPassword.message());
    }

    // ---- the running appliance

    @Test
    void aRunningApplianceIsFoundAndAStoppedOneIsAWarning() {
        try (TestAppliance app = TestAppliance.start(dir)) {
            Map<String, String> env = Map.of("B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(app.appliance().adminPort()));
            Finding running = find(doctor.check(dir.resolve("b24bridge.yaml"), env), "appliance");
            assertEquals(Finding.Level.OK, running.level(), running.message());
            assertTrue(running.message().contains("health UP"), running.message());
        }
        Finding stopped = find(doctor.check(dir.resolve("b24bridge.yaml"), Map.of("B24BRIDGE_LISTENERS_ADMIN_PORT",
                String.valueOf(freePort()))), "appliance");
        assertEquals(Finding.Level.WARN, stopped.level(), stopped.message());
    }

    // ---- the Bitrix24 box

    @Test
    void theBoxAnswersOverMutualTlsAndAnAuthenticatedCall() throws Exception {
        DevPki.Files pki = pki(dir.resolve("pki"), "localhost");
        try (MockWebServer box = box(pki, pki.trustStore())) {
            // every request gets an answer of its method: the TLS check's plain GET, the OAuth probe, each method
            answerEverything(box, "{\"result\":{\"ID\":\"1\",\"ADMIN\":true}}");
            List<Finding> f = doctor.check(config(pki, "https://localhost:" + box.getPort(), "webhook"), Map.of());
            for (String check : List.of("bitrix24.connect", "bitrix24.tls", "bitrix24.hostname", "bitrix24.auth")) {
                assertEquals(Finding.Level.OK, find(f, check).level(), find(f, check).message());
            }
            assertTrue(find(f, "bitrix24.auth").message().contains("takes webhook auth for every method"),
                    find(f, "bitrix24.auth").message());
            assertEquals(Finding.Level.OK, find(f, "certs.bitrix24-client").level());
        }
    }

    @Test
    void aBoxThatDoesNotAnswerFailsTheConnection() {
        DevPki.Files pki = pki(dir.resolve("pki"), "localhost");
        Finding f = find(doctor.check(config(pki, "https://localhost:" + freePort(), "webhook"), Map.of()), "bitrix24.connect");
        assertEquals(Finding.Level.FAIL, f.level());
        assertTrue(f.message().contains("cannot connect"), f.message());
    }

    @Test
    void aBoxCertificateFromAnotherCaFailsTheTlsCheck() throws Exception {
        DevPki.Files ours = pki(dir.resolve("ours"), "localhost");
        DevPki.Files theirs = pki(dir.resolve("theirs"), "localhost");
        try (MockWebServer box = new MockWebServer()) {
            box.useHttps(TestTls.context(theirs.trustStore(), theirs.boxServer(), theirs.password()).getSocketFactory());
            box.start();
            Finding f = find(doctor.check(config(ours, "https://localhost:" + box.getPort(), "webhook"), Map.of()),
                    "bitrix24.tls");
            assertEquals(Finding.Level.FAIL, f.level());
            assertTrue(f.message().contains("not trusted"), f.message());
        }
    }

    @Test
    void aBoxThatRefusesOurClientCertificateFailsTheTlsCheck() throws Exception {
        DevPki.Files ours = pki(dir.resolve("ours"), "localhost");
        DevPki.Files other = pki(dir.resolve("other"), "localhost");
        Path otherCa = restore(other.trustStore(), other.password(), ours.password()); // another CA, our password
        try (MockWebServer box = box(ours, otherCa)) { // trusts only another CA for client certificates
            Finding f = find(doctor.check(config(ours, "https://localhost:" + box.getPort(), "webhook"), Map.of()),
                    "bitrix24.tls");
            assertEquals(Finding.Level.FAIL, f.level());
            assertTrue(f.message().contains("client certificate"), f.message());
        }
    }

    @Test
    void aBoxCertificateForAnotherNameFailsTheHostnameCheck() throws Exception {
        DevPki.Files pki = pki(dir.resolve("pki"), "localhost");
        try (MockWebServer box = box(pki, pki.trustStore())) {
            box.enqueue(json("{}"));
            box.enqueue(json("{\"result\":{}}"));
            List<Finding> f = doctor.check(config(pki, "https://127.0.0.1:" + box.getPort(), "webhook"), Map.of());
            assertEquals(Finding.Level.OK, find(f, "bitrix24.tls").level(), find(f, "bitrix24.tls").message());
            assertEquals(Finding.Level.FAIL, find(f, "bitrix24.hostname").level());
            assertTrue(find(f, "bitrix24.hostname").message().contains("not 127.0.0.1"), find(f, "bitrix24.hostname").message());
        }
        assertTrue(BoxCheck.matches("crm.corp.local", "*.corp.local"));
        assertTrue(!BoxCheck.matches("a.crm.corp.local", "*.corp.local"));
    }

    @Test
    void anApplicationThatIsNotInstalledFailsTheAuthCheck() throws Exception {
        DevPki.Files pki = pki(dir.resolve("pki"), "localhost");
        try (MockWebServer box = box(pki, pki.trustStore())) {
            answerEverything(box, "{}");
            Finding f = find(doctor.check(config(pki, "https://localhost:" + box.getPort(), "application"), Map.of()),
                    "bitrix24.auth");
            assertEquals(Finding.Level.FAIL, f.level());
            assertTrue(f.message().startsWith("NOT_INSTALLED"), f.message());
        }
    }

    // ---- disk, clock, pbx

    @Test
    void diskSpaceIsOkAboveTheLimitsAndFailsBelow() {
        assertEquals(Finding.Level.OK, DiskCheck.check(dir.resolve("not/made/yet"), 0, 0).level());
        assertEquals(Finding.Level.WARN, DiskCheck.check(dir, Long.MAX_VALUE, 0).level());
        Finding full = DiskCheck.check(dir, Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(Finding.Level.FAIL, full.level());
        assertTrue(full.message().contains("stops writing"), full.message());
    }

    @Test
    void theClockIsOkWhenSynchronisedAWarningWhenNotAndSaysWhenItCannotTell() {
        assertEquals(Finding.Level.OK, ClockCheck.check(cmd -> cmd[0].equals("timedatectl")
                ? Optional.of("yes\n") : Optional.empty()).level());
        assertEquals(Finding.Level.WARN, ClockCheck.check(cmd -> cmd[0].equals("timedatectl")
                ? Optional.of("no\n") : Optional.empty()).level());
        assertEquals(Finding.Level.OK, ClockCheck.check(cmd -> cmd[0].equals("chronyc")
                ? Optional.of("Reference ID    : 0A000001\nLeap status     : Normal\n") : Optional.empty()).level());
        assertEquals(Finding.Level.WARN, ClockCheck.check(cmd -> cmd[0].equals("chronyc")
                ? Optional.of("Leap status     : Not synchronised\n") : Optional.empty()).level());
        Finding unknown = ClockCheck.check(cmd -> Optional.empty());
        assertEquals(Finding.Level.WARN, unknown.level());
        assertTrue(unknown.message().startsWith("cannot tell"), unknown.message());
    }

    @Test
    void withoutAPbxSectionThePbxCheckSaysNotConfigured() {
        Path config = TestAppliance.writeConfig(dir, pki(dir, "localhost"));
        Finding f = find(doctor.check(config, Map.of()), "pbx");
        assertEquals(Finding.Level.OK, f.level());
        assertTrue(f.message().startsWith("not configured"), f.message());
    }

    @Test
    void theAmiLoginWorksOrIsRefusedOrNobodyAnswers() throws Exception {
        try (FakeAmi ami = new FakeAmi("s3cret")) {
            Path config = pbxConfig(ami.port(), "s3cret");
            Finding ok = find(doctor.check(config, Map.of()), "pbx.main");
            assertEquals(Finding.Level.OK, ok.level(), ok.message());
            assertTrue(ok.message().contains("login as 'b24bridge' works"), ok.message());

            Finding refused = find(doctor.check(pbxConfig(ami.port(), "wrong"), Map.of()), "pbx.main");
            assertEquals(Finding.Level.FAIL, refused.level());
            assertTrue(refused.message().contains("Authentication failed"), refused.message());
            assertTrue(!refused.message().contains("wrong"), "the secret must not be printed: " + refused.message());
        }
        Finding down = find(doctor.check(pbxConfig(freePort(), "s3cret"), Map.of()), "pbx.main");
        assertEquals(Finding.Level.FAIL, down.level());
        assertTrue(down.message().startsWith("cannot connect to the AMI"), down.message());
    }

    private Path pbxConfig(int port, String secret) throws IOException {
        Path config = TestAppliance.writeConfig(dir, pki(dir, "localhost"));
        Files.writeString(config, Files.readString(config) + """
                pbx:
                  - id: main
                    host: 127.0.0.1
                    port: %d
                    username: b24bridge
                    secret: %s
                """.formatted(port, secret));
        return config;
    }

    /** Enough of Asterisk's manager interface for a login: banner, Login answered by the secret, Logoff. */
    private static final class FakeAmi implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        private final Thread thread;

        FakeAmi(String secret) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (java.net.Socket s = server.accept()) {
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        OutputStream out = s.getOutputStream();
                        out.write("Asterisk Call Manager/9.0.0\r\n".getBytes(StandardCharsets.UTF_8));
                        // Asterisk's MD5 login: a Challenge, then a Login whose Key is md5(challenge + secret)
                        String key = null;
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.equals("Action: Challenge")) {
                                while ((line = in.readLine()) != null && !line.isEmpty()) {
                                    // the rest of the action
                                }
                                out.write("Response: Success\r\nActionID: doctor-0\r\nChallenge: 12345\r\n\r\n"
                                        .getBytes(StandardCharsets.UTF_8));
                                out.flush();
                            } else if (line.startsWith("Key: ")) {
                                key = line.substring(5);
                            } else if (line.isEmpty()) {
                                break;
                            }
                        }
                        out.write((PbxCheck.md5("12345" + secret).equals(key)
                                ? "Response: Success\r\nActionID: doctor-1\r\nMessage: Authentication accepted\r\n\r\n"
                                : "Response: Error\r\nActionID: doctor-1\r\nMessage: Authentication failed\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    // ---- helpers

    private static Finding find(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }

    private static DevPki.Files pki(Path d, String... names) {
        return DevPki.ensure(d, List.of(names));
    }

    /** A box over mutual TLS: its server certificate from {@code pki}, client certificates checked against {@code clientCas}. */
    private static MockWebServer box(DevPki.Files pki, Path clientCas) throws IOException {
        MockWebServer box = new MockWebServer();
        box.useHttps(TestTls.context(clientCas, pki.boxServer(), pki.password()).getSocketFactory());
        box.requireClientAuth();
        box.start();
        return box;
    }

    /** The same trust store under another password (the test TLS helper takes one password for both stores). */
    private Path restore(Path store, char[] from, char[] to) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, from);
        }
        Path out = Files.createTempFile(dir, "trust", ".p12");
        try (OutputStream o = Files.newOutputStream(out)) {
            ks.store(o, to);
        }
        return out;
    }

    /** The box answers every request with {@code body}. */
    private static void answerEverything(MockWebServer box, String body) {
        box.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return json(body);
            }
        });
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** A configuration file with a bitrix24 section for {@code url}. */
    private Path config(DevPki.Files pki, String url, String auth) {
        Path config = TestAppliance.writeConfig(dir, pki);
        String section = auth.equals("webhook") ? """
                  auth: webhook
                  webhook:
                    user-id: 1
                    secret: s3cr3t
                """ : """
                  auth: application
                  application:
                    client-id: local.b24bridge.test
                    client-secret: test-client-secret
                """;
        try {
            Files.writeString(config, Files.readString(config) + """
                    bitrix24:
                      url: %s
                    %s  tls:
                        keystore: %s
                        keystore-password-file: %s
                        truststore: %s
                      connect-timeout: 5s
                      request-timeout: 10s
                    """.formatted(url, section, pki.applianceClient(), pki.passwordFile(), pki.trustStore()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return config;
    }

    /** A self-signed EC certificate with the given end of validity and extended key usage, in a PKCS#12 ("pw"). */
    private Path cert(Instant notAfter, KeyPurposeId eku) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = gen.generateKeyPair();
        X500Name name = new X500Name("CN=doctor test " + notAfter.toEpochMilli());
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(notAfter.toEpochMilli()),
                Date.from(Instant.now().minus(Duration.ofDays(400))), Date.from(notAfter), name, keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("1", keys.getPrivate(), "pw".toCharArray(), new Certificate[] {cert});
        Path file = Files.createTempFile(dir, "cert", ".p12");
        try (OutputStream o = Files.newOutputStream(file)) {
            ks.store(o, "pw".toCharArray());
        }
        return file;
    }

    private static ApplianceConfig.Tls tls(Path keystore) {
        return new ApplianceConfig.Tls(keystore, Secret.of("pw"), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static int freePort() {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }
}
