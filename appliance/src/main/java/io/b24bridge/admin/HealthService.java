package io.b24bridge.admin;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.health.Health;
import io.b24bridge.health.PartHealth;

/**
 * {@code GET /health}: each part's state as JSON; HTTP 200 unless a critical part is DOWN (then 503), so a
 * load balancer or systemd watchdog can use the status code alone. Without signing in: the state only.
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

    /**
     * The whole report for a signed-in caller; for anyone else only the state (what a load balancer or a watchdog
     * needs): the parts' facts name the PBX's address, the box's URL and the database's path.
     */
    private void report(ServerRequest req, ServerResponse res) {
        Health.Report report = health.report();
        Status status = report.status() == PartHealth.State.DOWN ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200;
        if (Caller.of(req).isEmpty()) {
            json.send(res, status, Map.of("status", report.status()));
            return;
        }
        json.send(res, status, report);
    }
}
