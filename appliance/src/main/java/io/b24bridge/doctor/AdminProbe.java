package io.b24bridge.doctor;

import java.io.IOException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.json.Json;
import io.b24bridge.web.LocalAdmin;

/**
 * Asks the appliance running on this machine for its {@code /health}, on the admin listener named by the
 * configuration ({@link LocalAdmin}). Used by {@code doctor} and by the installer's upgrade (which waits for the
 * new version to be healthy).
 */
public final class AdminProbe {

    private AdminProbe() {
    }

    /**
     * @param httpStatus the HTTP status (200 healthy, 503 a critical part is DOWN)
     * @param status     the overall state ({@code UP}, {@code DEGRADED}, {@code DOWN})
     * @param version    the running version
     * @param body       the whole report
     */
    public record Health(int httpStatus, String status, String version, JsonNode body) {
        public boolean healthy() {
            return httpStatus == 200 && !"DOWN".equals(status);
        }
    }

    /** One GET of /health; an {@link IOException} when nothing answers (not running, wrong port, TLS refused). */
    public static Health health(ApplianceConfig config, Duration timeout) throws IOException {
        ApplianceConfig.Listener admin = config.adminListener();
        WebClient client = LocalAdmin.client(config, timeout, timeout);
        try (HttpClientResponse res = client.get("/health").request()) {
            JsonNode body = Json.newMapper().readTree(res.entity().as(byte[].class));
            return new Health(res.status().code(), body.path("status").asText(""), body.path("version").asText(""), body);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            // Helidon reports connect and TLS failures as unchecked exceptions
            throw new IOException("the admin listener at " + LocalAdmin.url(admin) + " does not answer: " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
