package io.b24bridge.doctor;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.json.Json;
import io.b24bridge.tls.TlsMaterial;

/**
 * Asks the appliance running on this machine for its {@code /health}, on the admin listener named by the
 * configuration. Used by {@code doctor} and by the installer's upgrade (which waits for the new version to be
 * healthy). The admin listener's own certificate is the only one trusted (pinning): stronger than a host-name
 * check against an address the certificate may not carry.
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

    /** Where a client on this machine reaches the admin listener. */
    public static String url(ApplianceConfig.Listener admin) {
        String h = admin.host().equals("0.0.0.0") || admin.host().equals("::") ? "127.0.0.1" : admin.host();
        return "https://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + admin.port();
    }

    /** One GET of /health; an {@link IOException} when nothing answers (not running, wrong port, TLS refused). */
    public static Health health(ApplianceConfig config, Duration timeout) throws IOException {
        ApplianceConfig.Listener admin = config.adminListener();
        TlsMaterial own = TlsMaterial.load(admin.tls());
        WebClient client = WebClient.builder()
                .baseUri(URI.create(url(admin)))
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .shareConnectionCache(false)
                .tls(Tls.builder()
                        .trust(List.of(own.certificate()))
                        .endpointIdentificationAlgorithm("NONE")
                        .build())
                .build();
        try (HttpClientResponse res = client.get("/health").request()) {
            JsonNode body = Json.newMapper().readTree(res.entity().as(byte[].class));
            return new Health(res.status().code(), body.path("status").asText(""), body.path("version").asText(""), body);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            // Helidon reports connect and TLS failures as unchecked exceptions
            throw new IOException("the admin listener at " + url(admin) + " does not answer: " + rootMessage(e), e);
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
