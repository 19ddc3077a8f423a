package io.b24bridge.web;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review probe P5 (F4): a body larger than the listener's limit is refused with 413 after at most a little more
 * than the limit was read, however it is framed — a chunked body used to be read whole into the heap.
 */
class PayloadLimitsTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    static TestAppliance app;

    @BeforeAll
    static void start() {
        app = TestAppliance.start(dir, TestAppliance.bitrix24Section("https://127.0.0.1:9"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aChunked64MibSettingsImportIsCutOffWith413() throws Exception {
        ChunkedUpload.Result r = ChunkedUpload.post(TestTls.context(app.pki().trustStore(), null, app.pki().password()),
                app.adminUri("/api/settings/import"), "application/json", 64 * MIB, app.authorization());
        assertEquals(413, r.status(), "sent " + r.sent());
        assertTrue(r.sent() < 16 * MIB, "the server read " + r.sent() + " bytes before refusing (limit 4 MiB)");
    }

    @Test
    void aChunked8MibEventIsCutOffWith413() throws Exception {
        ChunkedUpload.Result r = ChunkedUpload.post(
                TestTls.context(app.pki().trustStore(), app.pki().boxClient(), app.pki().password()),
                app.boxUri("/bitrix24/events"), "application/x-www-form-urlencoded", 8 * MIB);
        assertEquals(413, r.status(), "sent " + r.sent());
        assertTrue(r.sent() < 4 * MIB, "the server read " + r.sent() + " bytes before refusing (limit 256 KiB)");
    }

    @Test
    void aBodyAnnouncedLargerThanTheLimitIsRefusedWith413() throws Exception {
        ChunkedUpload.Result r = ChunkedUpload.post(TestTls.context(app.pki().trustStore(), null, app.pki().password()),
                app.adminUri("/api/settings/import"), "application/json", 5 * MIB, false, app.authorization());
        assertEquals(413, r.status(), "sent " + r.sent());
    }
}
