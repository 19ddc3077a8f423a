package io.b24bridge.admin;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.ApplianceProcess;
import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Role;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.doctor.AdminProbe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review probe P2 (F2a, F2b, F10): {@code client-auth: optional} protected nothing, {@code required} admitted any
 * certificate of the CA (the appliance's own client certificate among them) and broke the appliance's own tools.
 * Now a certificate stands for an account only when an account names its subject; {@code optional} lets the other
 * credentials in beside it; {@code required} turns away whoever has none; and the tools present the local tools'
 * credential, so a backup, the doctor and the upgrade's wait still work.
 */
class AdminCertificatesTest {

    @TempDir
    Path dir;

    private TestAppliance start(String clientAuth) {
        return TestAppliance.start(dir, "", environment(clientAuth));
    }

    private Map<String, String> environment(String clientAuth) {
        return Map.of("B24BRIDGE_LISTENERS_ADMIN_CLIENT__AUTH", clientAuth,
                "B24BRIDGE_LISTENERS_ADMIN_TRUSTSTORE", dir.resolve("tls/trust.p12").toString());
    }

    private static HttpResponse<String> send(TestAppliance app, Path clientKeystore, HttpRequest.Builder request)
            throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(TestTls.context(app.pki().trustStore(),
                clientKeystore, app.pki().password())).connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void optionalLetsACertificateStandForTheAccountThatNamesItAndNothingElse() throws Exception {
        try (TestAppliance app = start("optional")) {
            // probe P2, first request: no certificate, no credential — a backup was made (200)
            assertEquals(401, send(app, null, HttpRequest.newBuilder(app.adminUri("/api/store/backup"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")))
                    .statusCode());
            // probe P2, last request: the appliance's own client certificate was an admin's
            HttpRequest.Builder settings = HttpRequest.newBuilder(app.adminUri("/api/settings")).GET();
            assertEquals(401, send(app, app.pki().applianceClient(), settings).statusCode());

            String subject = subjectOf(app.pki().applianceClient(), app.pki().password());
            app.appliance().access().accounts().create("monitoring", Role.VIEWER, null);
            app.appliance().access().accounts().change("monitoring", null, subject, null);
            assertEquals(200, send(app, app.pki().applianceClient(), HttpRequest.newBuilder(app.adminUri(
                    "/api/settings")).GET()).statusCode(), "the certificate stands for the viewer now");
            assertEquals(403, send(app, app.pki().applianceClient(), HttpRequest.newBuilder(app.adminUri(
                    "/api/settings/exceptions")).header("Content-Type", "application/json").PUT(
                    HttpRequest.BodyPublishers.ofString("{}"))).statusCode(), "a viewer's certificate changes nothing");
            assertEquals(200, app.get("/api/settings").statusCode(), "optional: a token without a certificate too");
        }
    }

    @Test
    void requiredTurnsAwayClientsWithoutACertificateAndTheToolsStillWork() throws Exception {
        try (TestAppliance app = start("required")) {
            assertThrows(IOException.class, () -> send(app, null, HttpRequest.newBuilder(app.adminUri("/health"))
                    .GET()), "no certificate: no TLS session");
            assertEquals(401, send(app, app.pki().applianceClient(), HttpRequest.newBuilder(app.adminUri(
                    "/api/settings")).GET()).statusCode(), "a certificate of the CA that no account names");

            // the doctor's and the upgrade's probe: the local tools' credential, the whole report
            AdminProbe.Health h = AdminProbe.health(withRealPort(app), Duration.ofSeconds(30));
            assertEquals(200, h.httpStatus());
            assertTrue(!h.version().isEmpty() && h.body().has("parts"), h.body().toString());

            // probe P2: `b24bridge backup` while the appliance runs (another process) failed with required
            Path config = app.dir().resolve("b24bridge.yaml");
            Map<String, String> env = new HashMap<>(environment("required"));
            env.put("B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(app.appliance().adminPort()));
            try (ApplianceProcess backup = ApplianceProcess.start(env, "backup", "--config", config.toString())) {
                assertEquals(0, backup.waitFor(Duration.ofSeconds(60)), backup.output());
                assertTrue(backup.output().contains("backup written: "), backup.output());
            }
            List<AuditLog.Entry> audit = app.appliance().access().audit().query(new AuditLog.Filter(null, null, null,
                    "store.backup", null, null, 10));
            assertEquals("local-tools", audit.getFirst().actor(), audit.toString());
        }
    }

    @Test
    void aCertificateFromAnotherCaIsNoCredential() throws Exception {
        Path foreign = DevPki.foreignClient(dir.resolve("foreign"), DevPki.ensure(dir.resolve("tls"),
                List.of("localhost", "127.0.0.1")).password());
        try (TestAppliance app = start("optional")) {
            // the listener names the CAs it takes: the client finds none of its own and sends no certificate
            assertEquals(401, send(app, foreign, HttpRequest.newBuilder(app.adminUri("/api/settings")).GET())
                    .statusCode());
        }
        try (TestAppliance app = start("required")) {
            assertThrows(IOException.class, () -> send(app, foreign, HttpRequest.newBuilder(app.adminUri("/health"))
                    .GET()));
        }
    }

    /** The configuration as a tool on this machine reads it, with the port the test's listener took. */
    private static ApplianceConfig withRealPort(TestAppliance app) {
        ApplianceConfig c = app.config();
        ApplianceConfig.Listener a = c.adminListener();
        return new ApplianceConfig(c.source(), c.storage(), c.boxListener(), new ApplianceConfig.Listener(a.host(),
                app.appliance().adminPort(), a.tls(), a.clientAuth()), c.shutdownGrace(), c.bitrix24(), c.pbx(), c.agi());
    }

    private static String subjectOf(Path keystore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        String alias = ks.aliases().nextElement();
        return ((X509Certificate) ks.getCertificate(alias)).getSubjectX500Principal().getName();
    }
}
