package io.b24bridge.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;
import io.b24bridge.calls.CallKey;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.outbox.RegisterRisks;
import io.b24bridge.outbox.OutboxReport;
import io.b24bridge.outbox.OutboxSender;

/**
 * The outbox for operators under {@code /api/outbox}: {@code GET /} counts; {@code GET /dead} the commands
 * that failed for good, with the box's error; {@code POST /dead/{id}/retry} sends one again (after the cause
 * was fixed — e.g. the user was activated in Bitrix24); {@code GET /at-risk} the calls that may be in the CRM twice
 * (a lost register repeated past the box's 30 minutes, without the b24bridge module to ask), and
 * {@code POST /at-risk/{call}/dismiss} once an operator has checked the CRM.
 */
public final class OutboxApi implements HttpService {

    private final Outbox outbox;
    private final OutboxSender sender;
    private final AuditLog audit;
    private final JsonResponses json;

    public OutboxApi(Outbox outbox, OutboxSender sender, AuditLog audit, ObjectMapper mapper) {
        this.outbox = outbox;
        this.sender = sender;
        this.audit = audit;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::counts)
                .get("/dead", this::dead)
                .post("/dead/{id}/retry", this::retry)
                .get("/at-risk", this::atRisk)
                .post("/at-risk/{call}/dismiss", this::dismiss);
    }

    private void counts(ServerRequest req, ServerResponse res) {
        OutboxReport.Counts c = outbox.report().counts();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pending", c.pending());
        body.put("sending", c.sending());
        body.put("dead", c.dead());
        body.put("done", c.done());
        body.put("oldestWaiting", c.oldestWaiting() == null ? null : c.oldestWaiting().toString());
        body.put("dispatcher", sender.status());
        json.send(res, Status.OK_200, body);
    }

    private void dead(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> out = outbox.report().deadLetters(500).stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("call", e.call().externalCallId());
            m.put("seq", e.seq());
            m.put("kind", e.kind());
            m.put("command", e.command());
            m.put("attempts", e.attempts());
            m.put("error", e.lastError());
            m.put("createdAt", e.createdAt().toString());
            return m;
        }).toList();
        json.send(res, Status.OK_200, out);
    }

    private void atRisk(ServerRequest req, ServerResponse res) {
        json.send(res, Status.OK_200, outbox.risks().list(500).stream().map(OutboxApi::risk).toList());
    }

    static Map<String, Object> risk(RegisterRisks.Risk r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call", r.call().externalCallId());
        m.put("clientNumber", r.clientNumber());
        m.put("startedAt", r.startedAt().toString());
        m.put("callId", r.callId());
        m.put("notedAt", r.notedAt().toString());
        return m;
    }

    private void dismiss(ServerRequest req, ServerResponse res) {
        String key = req.path().pathParameters().get("call");
        if (key == null || key.indexOf(':') <= 0) {
            json.error(res, Status.BAD_REQUEST_400, "the call is <pbx>:<Linkedid>, as GET /api/outbox/at-risk names it");
            return;
        }
        Caller c = Caller.required(req);
        if (!outbox.risks().dismiss(CallKey.parse(key))) {
            json.error(res, Status.NOT_FOUND_404, "call " + key + " is not at risk");
            return;
        }
        // who said the CRM was checked: the call is no longer named anywhere else
        audit.record(c.identity(), c.address(), "outbox.at-risk.dismiss", key, AuditLog.Outcome.OK, Map.of());
        json.send(res, Status.OK_200, Map.of("dismissed", key));
    }

    private void retry(ServerRequest req, ServerResponse res) {
        long id;
        try {
            id = Long.parseLong(req.path().pathParameters().get("id"));
        } catch (NumberFormatException e) {
            json.error(res, Status.BAD_REQUEST_400, "the id must be a number");
            return;
        }
        Caller c = Caller.required(req);
        if (!outbox.queue().revive(id)) {
            audit.record(c.identity(), c.address(), "outbox.retry", String.valueOf(id), AuditLog.Outcome.REFUSED,
                    Map.of("reason", "no such dead letter"));
            json.error(res, Status.NOT_FOUND_404, "no dead letter " + id);
            return;
        }
        audit.record(c.identity(), c.address(), "outbox.retry", String.valueOf(id), AuditLog.Outcome.OK, Map.of());
        sender.wake();
        json.send(res, Status.OK_200, Map.of("retried", id));
    }
}
