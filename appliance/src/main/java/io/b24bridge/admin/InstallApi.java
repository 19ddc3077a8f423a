package io.b24bridge.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;
import io.b24bridge.bitrix.events.InstallGate;

/**
 * Arming the install under {@code /api/bitrix24/install}: {@code POST /} with {@code {"minutes": 15}} (at most 60;
 * {@code "replace": true} when the box or the application is new) lets the next install event in, until it comes or
 * the time is up; {@code DELETE /} disarms; {@code GET /} tells the state. Without an arming an install event
 * changes nothing (see {@code bitrix.events.InstallGate}). Arming and disarming are in the audit log.
 */
public final class InstallApi implements HttpService {

    private final Optional<InstallGate> gate;
    private final AuditLog audit;
    private final JsonResponses json;

    public InstallApi(Optional<InstallGate> gate, AuditLog audit, ObjectMapper mapper) {
        this.gate = gate;
        this.audit = audit;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::state)
                .post("/", this::arm)
                .delete("/", this::disarm);
    }

    private boolean noBox(ServerResponse res) {
        if (gate.isEmpty()) {
            json.error(res, Status.NOT_FOUND_404, "no Bitrix24 box is configured (the bitrix24 section)");
            return true;
        }
        return false;
    }

    private void state(ServerRequest req, ServerResponse res) {
        if (noBox(res)) {
            return;
        }
        json.send(res, Status.OK_200, view(gate.get().armed()));
    }

    private void arm(ServerRequest req, ServerResponse res) {
        if (noBox(res)) {
            return;
        }
        Caller c = Caller.required(req);
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        int minutes = body.get().path("minutes").asInt(15);
        if (minutes < 1 || minutes > InstallGate.LONGEST.toMinutes()) {
            json.error(res, Status.BAD_REQUEST_400, "minutes must be 1 to " + InstallGate.LONGEST.toMinutes());
            return;
        }
        boolean replace = body.get().path("replace").asBoolean(false);
        InstallGate.Armed a = gate.get().arm(Duration.ofMinutes(minutes), replace, c.identity().name());
        audit.record(c.identity(), c.address(), "bitrix24.install.arm", null, AuditLog.Outcome.OK,
                Map.of("until", a.until().toString(), "replace", replace));
        json.send(res, Status.OK_200, view(Optional.of(a)));
    }

    private void disarm(ServerRequest req, ServerResponse res) {
        if (noBox(res)) {
            return;
        }
        Caller c = Caller.required(req);
        gate.get().disarm();
        audit.record(c.identity(), c.address(), "bitrix24.install.disarm", null, AuditLog.Outcome.OK, Map.of());
        json.send(res, Status.OK_200, view(Optional.empty()));
    }

    private static Map<String, Object> view(Optional<InstallGate.Armed> a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("armed", a.isPresent());
        a.ifPresent(x -> {
            m.put("until", x.until().toString());
            m.put("replace", x.replace());
            m.put("by", x.by());
        });
        return m;
    }
}
