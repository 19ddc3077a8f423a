package io.b24bridge.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;

/**
 * The audit log under {@code /api/audit} (administrators only): {@code GET /} with the filters {@code since},
 * {@code until} (a date, from 00:00 UTC, or an instant), {@code actor}, {@code action} ({@code settings} finds
 * {@code settings.put} and {@code settings.import}), {@code outcome} ({@code ok}, {@code refused},
 * {@code failed}), {@code before} (an entry id: the page before it) and {@code limit} (100; at most 1000). Newest
 * first.
 */
public final class AuditApi implements HttpService {

    private final AuditLog audit;
    private final JsonResponses json;

    public AuditApi(AuditLog audit, ObjectMapper mapper) {
        this.audit = audit;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::query);
    }

    private void query(ServerRequest req, ServerResponse res) {
        AuditLog.Filter f;
        try {
            String outcome = req.query().first("outcome").orElse(null);
            f = new AuditLog.Filter(instant(req, "since"), instant(req, "until"),
                    req.query().first("actor").orElse(null), req.query().first("action").orElse(null),
                    outcome == null ? null : AuditLog.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT)),
                    req.query().first("before").map(Long::parseLong).orElse(null),
                    req.query().first("limit").map(Integer::parseInt).orElse(100));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            json.error(res, Status.BAD_REQUEST_400, "filters: since/until a date (2026-11-01) or an instant "
                    + "(2026-11-01T09%3A00%3A00Z), outcome ok/refused/failed, before and limit whole numbers");
            return;
        }
        json.send(res, Status.OK_200, Map.of("entries", audit.query(f)));
    }

    private static Instant instant(ServerRequest req, String name) {
        String v = req.query().first(name).orElse(null);
        if (v == null) {
            return null;
        }
        Instant at = v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        if (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
            throw new IllegalArgumentException("out of range");
        }
        return at;
    }
}
