package io.b24bridge.admin;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthAndMetricsTest {

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

    @Test
    void healthShowsEachPartWithItsOwnState() throws Exception {
        HttpResponse<String> res = app.get("/health");
        assertEquals(200, res.statusCode());
        JsonNode body = Json.newMapper().readTree(res.body());
        assertEquals("UP", body.path("status").asText());
        assertEquals("UP", body.at("/parts/database/state").asText());
        assertEquals(io.b24bridge.store.Migrations.SCHEMA.getLast().version(),
                body.at("/parts/database/facts/schemaVersion").asInt());
        assertEquals("NOT_CONFIGURED", body.at("/parts/pbx/state").asText(), "a part not configured says so");
        assertEquals("NOT_CONFIGURED", body.at("/parts/bitrix24/state").asText());
        assertTrue(body.at("/parts/pbx/detail").asText().length() > 10, "and says it in words");
    }

    @Test
    void anApplianceWhosePbxLinkIsDownAnswers503SoMonitoringSeesIt(@TempDir Path other) throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();             // nothing listens there once the socket is closed
        }
        try (TestAppliance noPbx = TestAppliance.start(other, """
                pbx:
                  - id: pbx1
                    host: 127.0.0.1
                    port: %d
                    username: b24bridge
                    secret: test-secret
                    reconnect-min: 200ms
                """.replace("%d", String.valueOf(closed)))) {
            HttpResponse<String> res = noPbx.get("/health");
            JsonNode body = Json.newMapper().readTree(res.body());
            assertEquals("DOWN", body.at("/parts/pbx/state").asText(), res.body());
            assertEquals(503, res.statusCode(), "the status code alone tells monitoring");
            assertEquals("DOWN", body.path("status").asText());
        }
    }

    @Test
    void metricsArePrometheusText() {
        HttpResponse<String> res = app.get("/metrics");
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                res.headers().toString());
        assertTrue(res.body().contains("# TYPE "), res.body().lines().limit(5).toList().toString());
        assertTrue(res.body().contains("memory_usedHeap") || res.body().contains("jvm_memory"),
                "JVM meters are there");
    }
}
