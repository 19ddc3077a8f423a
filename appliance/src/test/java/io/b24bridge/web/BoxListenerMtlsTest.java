package io.b24bridge.web;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The box listener serves only clients whose certificate comes from the configured CA. */
class BoxListenerMtlsTest {

    @TempDir
    static Path dir;
    static TestAppliance app;

    @BeforeAll
    static void start() {
        app = TestAppliance.start(dir);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> ping(Path clientKeystore) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(TestTls.context(app.pki().trustStore(), clientKeystore, app.pki().password()))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(app.boxUri("/ping")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aClientWithACertificateFromTheConfiguredCaIsServed() throws Exception {
        HttpResponse<String> res = ping(app.pki().boxClient());
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("CN=bitrix24 box client"), res.body());
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        // under TLS 1.3 the refusal shows as certificate_required or a broken pipe, by timing
        assertThrows(java.io.IOException.class, () -> ping(null));
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsRefused() {
        char[] password = app.pki().password();
        Path foreign = DevPki.foreignClient(dir.resolve("foreign"), password);
        assertThrows(java.io.IOException.class, () -> ping(foreign));
    }

    @Test
    void theAdminListenerDoesNotServeTheBoxRoutes() throws Exception {
        assertEquals(404, app.get("/ping").statusCode());
    }
}
