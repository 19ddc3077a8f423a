package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /_emulator/}: seed, inspect, break and drive the box over HTTP (JSON, no auth) — a thin adapter over
 * {@link BoxEmulator}'s Java API, so both always do the same. Endpoints are listed in testkit/README.md.
 */
final class ControlApi {

    private final BoxEmulator emu;
    private final ObjectMapper json;

    ControlApi(BoxEmulator emu, ObjectMapper json) {
        this.emu = emu;
        this.json = json;
    }

    void handle(ServerRequest req, ServerResponse res) {
        String path = req.path().path().substring("/_emulator".length());
        String method = req.prologue().method().text();
        try {
            JsonNode body = method.equals("POST") ? body(req) : NullNode.getInstance();
            Object answer = switch (method + " " + route(path)) {
                case "GET /state" -> emu.state();
                case "GET /requests" -> requests(req);
                case "GET /deliveries" -> emu.deliveries();
                case "GET /faults" -> emu.faults().view();
                case "POST /faults" -> faults(body);
                case "GET /settings" -> settings();
                case "POST /settings" -> settings(body);
                case "GET /clock" -> clock();
                case "POST /clock" -> advance(body);
                case "POST /reset" -> reset(body);
                case "POST /seed/demo" -> {
                    emu.seedDemo();
                    yield Map.of("seeded", "demo");
                }
                case "POST /users" -> emu.addUser(SeedJson.user(body));
                case "POST /contacts" -> Map.of("id", emu.addEntity(EntityType.CONTACT, SeedJson.contact(body)));
                case "POST /companies" -> Map.of("id", emu.addEntity(EntityType.COMPANY, SeedJson.company(body)));
                case "POST /leads" -> Map.of("id", emu.addEntity(EntityType.LEAD, SeedJson.lead(body)));
                case "POST /lead-sources" -> leadSource(body);
                case "POST /webhooks" -> webhook(body);
                case "POST /outbound-webhooks" -> outboundWebhook(body);
                case "POST /install" -> install(body);
                case "POST /tokens" -> tokens(body);
                case "POST /click-to-call" -> clickToCall(body);
                case "POST /callback" -> callback(body);
                case "GET /files" -> file(res, path);
                default -> throw new NotFound(method + " " + path);
            };
            if (answer != FILE_SENT) {
                send(res, 200, answer);
            }
        } catch (NotFound e) {
            send(res, 404, Map.of("error", "not found: " + e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            send(res, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static final Object FILE_SENT = new Object();

    private static final class NotFound extends RuntimeException {
        NotFound(String what) {
            super(what, null, false, false);
        }
    }

    /** {@code /files/7} routes as {@code /files}; everything else as itself. */
    private static String route(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.startsWith("/files/") ? "/files" : p;
    }

    private JsonNode body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(req.content().as(byte[].class));
            return n == null ? json.createObjectNode() : n;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
        }
    }

    private void send(ServerResponse res, int status, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            res.status(Status.create(status));
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- inspection ----

    private Object requests(ServerRequest req) {
        int limit = req.query().first("limit").map(Integer::parseInt).orElse(10_000);
        return Map.of("count", emu.requests().count(), "requests", emu.requests().recent(limit));
    }

    private Object file(ServerResponse res, String path) {
        int id = Integer.parseInt(path.substring("/files/".length()).replace("/", ""));
        byte[] bytes = emu.recordBytes(id).orElseThrow(() -> new NotFound("file " + id));
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        res.send(bytes);
        return FILE_SENT;
    }

    // ---- faults, settings, clock, reset ----

    /**
     * {@code {"outage": "none|refused|503", "forMs": n, "latencyMs": n, "errorRate": 0..1, "slowRate": 0..1,
     * "slowMs": n, "dropRate": 0..1, "dropPoint": "before|after", "oauth": "up|503|refused", "oauthForMs": n,
     * "operationTimeLimit": ["method" | "*"], "clear": true}}. A refused outage starts after this answer is sent
     * (the port closes under us otherwise).
     */
    private Object faults(JsonNode b) {
        Faults f = emu.faults();
        if (b.path("clear").asBoolean(false)) {
            f.latency(Duration.ZERO).errorRate(0).slow(0, Duration.ZERO).drop(0, Faults.DropPoint.BEFORE_EXECUTION)
                    .operationTimeLimit(Set.of());
            f.later(() -> f.outage(Faults.Outage.NONE).oauth(Faults.OAuthState.UP));
        }
        if (b.has("latencyMs")) {
            f.latency(Duration.ofMillis(b.get("latencyMs").asLong()));
        }
        if (b.has("errorRate")) {
            f.errorRate(b.get("errorRate").asDouble());
        }
        if (b.has("slowRate") || b.has("slowMs")) {
            f.slow(b.path("slowRate").asDouble(1), Duration.ofMillis(b.path("slowMs").asLong(0)));
        }
        if (b.has("operationTimeLimit")) {
            Set<String> methods = new TreeSet<>();
            b.get("operationTimeLimit").forEach(m -> methods.add(m.asText()));
            f.operationTimeLimit(methods);
        }
        if (b.has("dropRate")) {
            f.drop(b.get("dropRate").asDouble(), b.path("dropPoint").asText("before").toLowerCase(Locale.ROOT)
                    .startsWith("after") ? Faults.DropPoint.AFTER_EXECUTION : Faults.DropPoint.BEFORE_EXECUTION);
        }
        if (b.has("outage")) {
            Faults.Outage o = switch (b.get("outage").asText().toLowerCase(Locale.ROOT)) {
                case "none", "" -> Faults.Outage.NONE;
                case "refused" -> Faults.Outage.REFUSED;
                case "503", "unavailable" -> Faults.Outage.UNAVAILABLE;
                default -> throw new IllegalArgumentException("outage must be none, refused or 503");
            };
            long forMs = b.path("forMs").asLong(0);
            f.later(() -> {
                if (forMs > 0) {
                    f.outage(o, Duration.ofMillis(forMs));
                } else {
                    f.outage(o);
                }
            });
        }
        if (b.has("oauth")) {
            Faults.OAuthState s = switch (b.get("oauth").asText().toLowerCase(Locale.ROOT)) {
                case "up", "" -> Faults.OAuthState.UP;
                case "refused" -> Faults.OAuthState.REFUSED;
                case "503", "unavailable" -> Faults.OAuthState.UNAVAILABLE;
                default -> throw new IllegalArgumentException("oauth must be up, refused or 503");
            };
            long forMs = b.path("oauthForMs").asLong(0);
            f.later(() -> {
                if (forMs > 0) {
                    f.oauth(s, Duration.ofMillis(forMs));
                } else {
                    f.oauth(s);
                }
            });
        }
        return Map.of("applied", true, "now", f.view());
    }

    private Object settings() {
        Settings s = emu.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deployment", s.deployment().label());
        m.put("authRules", s.authRules().label());
        m.put("tokenLifetimeSeconds", s.tokenLifetime().toSeconds());
        m.put("refreshLifetimeSeconds", s.refreshLifetime().toSeconds());
        m.put("blockPrivateRecordUrls", s.blockPrivateRecordUrls());
        m.put("duplicateEvents", s.duplicateEvents());
        m.put("installHandler", s.installHandler());
        m.put("rateLimit", emu.rateLimiter().config());
        m.put("clientId", emu.clientId());
        m.put("tokenUrl", emu.tokenUrl());
        m.put("oauthTokenUrl", emu.oauthTokenUrl());
        m.put("outboundWebhookCode", emu.outboundWebhookCode());
        return m;
    }

    private Object settings(JsonNode b) {
        Settings s = emu.settings();
        if (b.has("deployment")) {
            s.deployment(Deployment.parse(b.get("deployment").asText()));
        }
        if (b.has("authRules")) {
            s.authRules(AuthRules.parse(b.get("authRules").asText()));
        }
        if (b.has("tokenLifetimeSeconds")) {
            s.tokenLifetime(Duration.ofSeconds(b.get("tokenLifetimeSeconds").asLong()));
        }
        if (b.has("refreshLifetimeSeconds")) {
            s.refreshLifetime(Duration.ofSeconds(b.get("refreshLifetimeSeconds").asLong()));
        }
        if (b.has("blockPrivateRecordUrls")) {
            s.blockPrivateRecordUrls(b.get("blockPrivateRecordUrls").asBoolean());
        }
        if (b.has("duplicateEvents")) {
            s.duplicateEvents(b.get("duplicateEvents").asBoolean());
        }
        if (b.has("installHandler")) {
            s.installHandler(b.get("installHandler").asText());
        }
        if (b.has("rateLimit")) {
            JsonNode r = b.get("rateLimit");
            if (r.path("enabled").asBoolean(true)) {
                emu.rateLimiter().enable(r.path("burst").asInt(50), r.path("perSecond").asDouble(2));
            } else {
                emu.rateLimiter().disable();
            }
        }
        return settings();
    }

    private Object clock() {
        return Map.of("now", emu.clock().instant(), "offsetSeconds", emu.clock().offset().toSeconds());
    }

    /** {@code {"advanceSeconds": n}} moves the box's time by n seconds; {@code {"set": "<ISO instant>"}} sets it. */
    private Object advance(JsonNode b) {
        if (b.has("set")) {
            try {
                emu.clock().set(java.time.Instant.parse(b.get("set").asText()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("set wants an ISO instant like 2026-03-07T10:20:30Z: "
                        + b.get("set").asText());
            }
        }
        emu.clock().advance(Duration.ofSeconds(b.path("advanceSeconds").asLong(0)));
        return clock();
    }

    private Object reset(JsonNode b) {
        emu.reset();
        if ("demo".equalsIgnoreCase(b.path("seed").asText(""))) {
            emu.seedDemo();
        }
        return Map.of("reset", true);
    }

    // ---- seeding ----

    private Object leadSource(JsonNode b) {
        String id = SeedJson.text(b, "statusId", "STATUS_ID");
        if (id == null) {
            throw new IllegalArgumentException("a lead source needs a statusId");
        }
        String name = SeedJson.text(b, "name", "NAME");
        emu.addLeadSource(id, name == null ? id : name);
        return Map.of("statusId", id);
    }

    private Object webhook(JsonNode b) {
        int user = b.path("userId").asInt(1);
        Set<String> scopes = new TreeSet<>();
        b.path("scopes").forEach(s -> scopes.add(s.asText()));
        String url = emu.addWebhook(user, SeedJson.text(b, "secret"), scopes);
        String secret = url.substring(url.lastIndexOf('/') + 1);
        return Map.of("userId", user, "secret", secret, "url", url);
    }

    private Object outboundWebhook(JsonNode b) {
        String event = SeedJson.text(b, "event");
        String handler = SeedJson.text(b, "handler");
        if (event == null || handler == null) {
            throw new IllegalArgumentException("an outbound webhook needs event and handler");
        }
        return Map.of("id", emu.bindOutboundWebhook(event, handler), "applicationToken", emu.outboundWebhookCode());
    }

    // ---- driving the box ----

    /** Installs the application; the answer carries the tokens (this API is for tests, it shows secrets). */
    private Object install(JsonNode b) {
        Installation i = emu.install(SeedJson.text(b, "handler"));
        if (i.tokens() == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("application_token", i.applicationToken());
            m.put("tokens", null);
            m.put("note", "installed, but no tokens: the box cannot reach the OAuth server (" 
                    + emu.settings().deployment().label() + ")");
            return m;
        }
        return tokenAnswer(i.tokens(), i.applicationToken());
    }

    private Object tokens(JsonNode b) {
        return tokenAnswer(emu.issueTokens(b.path("userId").asInt(1)), null);
    }

    private static Map<String, Object> tokenAnswer(Tokens t, String applicationToken) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("refresh_token", t.refreshToken());
        m.put("expires", t.expiresAt().getEpochSecond());
        m.put("user_id", t.userId());
        if (applicationToken != null) {
            m.put("application_token", applicationToken);
        }
        return m;
    }

    private Object clickToCall(JsonNode b) {
        if (!b.has("userId") || SeedJson.text(b, "phone") == null) {
            throw new IllegalArgumentException("click-to-call needs userId and phone");
        }
        JsonNode crm = b.path("crmEntity");
        Dispatch d = emu.clickToCall(b.get("userId").asInt(), SeedJson.text(b, "phone"), SeedJson.text(b, "lineNumber"),
                EntityType.parse(SeedJson.text(crm, "type")).orElse(null), crm.has("id") ? crm.get("id").asInt() : null);
        return Map.of("callId", d.callId(), "deliveries", d.deliveries().size());
    }

    private Object callback(JsonNode b) {
        if (SeedJson.text(b, "phone") == null) {
            throw new IllegalArgumentException("callback needs a phone");
        }
        JsonNode crm = b.path("crmEntity");
        Dispatch d = emu.callback(SeedJson.text(b, "phone"), SeedJson.text(b, "text"), SeedJson.text(b, "lineNumber"),
                EntityType.parse(SeedJson.text(crm, "type")).orElse(null), crm.has("id") ? crm.get("id").asInt() : null);
        return Map.of("deliveries", d.deliveries().size());
    }
}
