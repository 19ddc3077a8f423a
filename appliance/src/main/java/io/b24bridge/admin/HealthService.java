package io.b24bridge.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.health.Health;
import io.b24bridge.health.PartHealth;

/**
 * {@code GET /health}: each part's state as JSON; HTTP 200 unless a configured part is DOWN (then 503), so a
 * load balancer or systemd watchdog can use the status code alone.
 */
public final class HealthService implements HttpService {

    private final Health health;
    private final JsonResponses json;

    public HealthService(Health health, ObjectMapper mapper) {
        this.health = health;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::report);
    }

    private void report(ServerRequest req, ServerResponse res) {
        Health.Report report = health.report();
        json.send(res, report.status() == PartHealth.State.DOWN ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200,
                report);
    }
}
