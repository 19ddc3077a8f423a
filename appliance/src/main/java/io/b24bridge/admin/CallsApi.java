package io.b24bridge.admin;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.CallHistory;
import io.b24bridge.settings.InboundRoutes;

/**
 * Recent calls, read-only, under {@code /api/calls}: {@code GET /} as JSON, {@code GET /csv} the same rows as a CSV
 * file. Filters: {@code since}, {@code until} (a date, from 00:00 UTC, or an instant; default the last 7 days),
 * {@code number} (part of the client's number), {@code operator} (an extension), {@code route} (part of the
 * inbound route's name or its DID), {@code limit} (500; at most 5000). Newest first.
 */
public final class CallsApi implements HttpService {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * Where the box shows a CRM entity's card, by the entity's type: the crm module's defaults for
     * path_to_lead_details, path_to_deal_details, path_to_contact_details, path_to_company_details (crm/options.php).
     */
    private static final Map<String, String> CARDS = Map.of("LEAD", "crm/lead/details/", "DEAL", "crm/deal/details/",
            "CONTACT", "crm/contact/details/", "COMPANY", "crm/company/details/");

    private final CallHistory history;
    private final Supplier<InboundRoutes> routes;
    private final Optional<URI> box;
    private final Clock clock;
    private final JsonResponses json;

    /** {@code box}: the Bitrix24 box's address, for links to the clients' cards; empty without a box. */
    public CallsApi(CallHistory history, Supplier<InboundRoutes> routes, Optional<URI> box, Clock clock,
                    ObjectMapper mapper) {
        this.history = history;
        this.box = box;
        this.routes = routes;
        this.clock = clock;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> calls(req, res).ifPresent(rows -> json.send(res, Status.OK_200,
                        Map.of("calls", rows))))
                .get("/csv", (req, res) -> calls(req, res).ifPresent(rows -> {
                    res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"b24bridge-calls.csv\"");
                    json.sendText(res, Status.OK_200, "text/csv; charset=utf-8", CallsCsv.of(rows));
                }));
    }

    /** The rows the filters select; empty after answering 400. */
    private Optional<List<Map<String, Object>>> calls(ServerRequest req, ServerResponse res) {
        Instant since;
        Instant until;
        int limit;
        try {
            since = instant(req, "since", clock.instant().minus(Duration.ofDays(7)), false);
            until = instant(req, "until", clock.instant().plus(Duration.ofMinutes(1)), true);
            limit = Math.min(MAX_LIMIT, Math.max(1, req.query().first("limit").map(Integer::parseInt)
                    .orElse(DEFAULT_LIMIT)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            json.error(res, Status.BAD_REQUEST_400, "filters: since/until a date (2026-11-01) or an instant "
                    + "(2026-11-01T09%3A00%3A00Z), limit a whole number");
            return Optional.empty();
        }
        String number = digits(req.query().first("number").orElse(""));
        String operator = req.query().first("operator").orElse("").strip();
        String route = req.query().first("route").orElse("").strip().toLowerCase(Locale.ROOT);
        InboundRoutes.Index index = routes.get().index();
        return Optional.of(history.between(since, until, limit).stream()
                .map(e -> row(e, index, box))
                .filter(r -> number.isEmpty() || digits(String.valueOf(r.get("clientNumber"))).contains(number))
                .filter(r -> operator.isEmpty() || operator.equals(r.get("operator")))
                .filter(r -> route.isEmpty() || String.valueOf(r.get("route")).toLowerCase(Locale.ROOT).contains(route)
                        || String.valueOf(r.get("did")).contains(route))
                .toList());
    }

    static Map<String, Object> row(CallHistory.Entry e, InboundRoutes.Index index, Optional<URI> box) {
        CallCrmState s = e.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call", s.call().externalCallId());
        m.put("startedAt", s.startedAt().toString());
        m.put("direction", s.direction().name().toLowerCase(Locale.ROOT));
        m.put("clientNumber", s.clientNumber());
        m.put("client", client(e.client(), box));
        m.put("did", s.did());
        m.put("route", s.did() == null ? null : index.routeFor(s.did()).map(InboundRoutes.Route::name).orElse(null));
        m.put("leadSource", s.leadSource());
        String operator = s.operator() != null ? s.operator() : s.lastRinging() != null ? s.lastRinging()
                : s.extension();
        m.put("operator", operator);
        m.put("status", status(e));
        m.put("waitSeconds", s.answeredAt() == null ? null
                : Math.max(0, Duration.between(s.startedAt(), s.answeredAt()).toSeconds()));
        m.put("talkSeconds", e.talkSeconds());
        m.put("vote", s.vote());
        m.put("recording", s.recordingFile() != null);
        m.put("bitrixCallId", e.bitrixCallId());
        m.put("crm", e.deliveries().stream().map(d -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", d.kind().toLowerCase(Locale.ROOT));
            x.put("state", d.state().toLowerCase(Locale.ROOT));
            x.put("doneAt", d.doneAt() == null ? null : d.doneAt().toString());
            return x;
        }).toList());
        return m;
    }

    /**
     * The client as the register's answer bound the call: the CRM entity's type and id, and its card on the box. The
     * name is not kept by the appliance (it would have to ask the box for every row).
     */
    private static Map<String, Object> client(CrmEntity entity, Optional<URI> box) {
        if (entity == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", entity.type().toUpperCase(Locale.ROOT));
        m.put("id", entity.id());
        String card = CARDS.get(entity.type().toUpperCase(Locale.ROOT));
        if (card != null && box.isPresent()) {
            String base = box.get().toString();
            m.put("url", base + (base.endsWith("/") ? "" : "/") + card + entity.id() + "/");
        }
        return m;
    }

    /** answered, missed (304 and other failures), ignored (none of the CRM's business), or open (going on). */
    private static String status(CallHistory.Entry e) {
        if (e.state().ignored()) {
            return "ignored";
        }
        if (e.statusCode() == null) {
            return e.state().answeredAt() != null && !e.state().finished() ? "talking" : "open";
        }
        return e.statusCode().equals("200") ? "answered" : "missed";
    }

    private static String digits(String s) {
        return s.replaceAll("[^0-9]", "");
    }

    private static Instant instant(ServerRequest req, String name, Instant fallback, boolean endOfDay) {
        String v = req.query().first(name).orElse(null);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        Instant at = v.length() == 10
                ? LocalDate.parse(v).plusDays(endOfDay ? 1 : 0).atStartOfDay(ZoneOffset.UTC).toInstant()
                : Instant.parse(v);
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException("out of range");
        }
        return at;
    }
}
