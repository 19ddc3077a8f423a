package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The box's HTTP face for REST (§1): {@code /rest/METHOD[.json]} with {@code auth=}, webhook paths
 * {@code /rest/USER/SECRET/METHOD[.json]}, parameters from the query, a form body (PHP nesting) or a JSON body;
 * the answers {@code {"result", "total", "next", "time"}} or {@code {"error", "error_description"}}; the
 * uploadUrl endpoint; the OAuth server's token endpoint {@code /oauth/token/}. Faults and the rate limit are applied here, every
 * request is logged (masked) in the bounded request log, nothing is printed.
 */
final class RestRouter {

    private static final Logger LOG = Logger.getLogger(RestRouter.class.getName());

    static final long MAX_BODY = 64L * 1024 * 1024;
    private static final String UNAVAILABLE_PAGE = "<html><head><title>503 Service Temporarily Unavailable</title>"
            + "</head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>\n";

    private final Methods methods;
    private final Auth auth;
    private final OAuthServer oauth;
    private final Recordings recordings;
    private final RateLimiter limiter;
    private final Faults faults;
    private final RequestLog log;
    private final ObjectMapper json;
    private final Clock clock;

    RestRouter(Methods methods, Auth auth, OAuthServer oauth, Recordings recordings, RateLimiter limiter, Faults faults,
               RequestLog log, ObjectMapper json, Clock clock) {
        this.methods = methods;
        this.auth = auth;
        this.oauth = oauth;
        this.recordings = recordings;
        this.limiter = limiter;
        this.faults = faults;
        this.log = log;
        this.json = json;
        this.clock = clock;
    }

    /** What one request turned into, for the log. */
    private static final class Trace {
        final Instant at;
        final long t0 = System.nanoTime();
        final String httpMethod;
        final String path;
        String method = "";
        String authKind = "none";
        Integer userId;
        Map<String, Object> params = Map.of();

        Trace(Instant at, String httpMethod, String path) {
            this.at = at;
            this.httpMethod = httpMethod;
            this.path = Masking.path(path);
        }
    }

    // ---- /rest/ ----

    void rest(ServerRequest req, ServerResponse res) {
        Trace t = new Trace(clock.instant(), req.prologue().method().text(), req.path().path());
        if (!preFaults(t, res)) {
            return;
        }
        try {
            String[] segs = req.path().path().substring("/rest/".length()).split("/");
            if (segs.length != 1 && segs.length != 3) {
                throw RestError.of("ERROR_METHOD_NOT_FOUND", "Method not found!");
            }
            t.method = methodName(segs[segs.length - 1]);
            byte[] body = body(req);
            String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
            // the uploadUrl's second step: parameters in the query, the file in a multipart body
            boolean upload = t.method.equals("upload");
            Args args = new Args(upload ? FormParams.parse(req.query().rawValue())
                    : params(req.query().rawValue(), body, contentType));
            t.params = Masking.params(args.raw());
            Caller caller;
            if (segs.length == 3) {
                t.authKind = "webhook";
                caller = auth.webhook(segs[0], segs[1]);
            } else {
                String token = accessToken(args, req);
                if (token.isEmpty()) {
                    throw RestError.of("NO_AUTH_FOUND", "Wrong authorization data");
                }
                t.authKind = "application";
                caller = auth.application(token, clientDn(req));
            }
            run(t, res, args, caller, upload ? () -> Multipart.boundary(contentType)
                    .map(b -> Multipart.parts(body, b).get(Recordings.UPLOAD_FIELD)).orElse(null) : null);
        } catch (RestError e) {
            error(t, res, e);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            // an emulator bug must still look like a box answer, and be visible in the test log
            LOG.log(Level.WARNING, "method " + t.method + " failed inside the emulator", e);
            error(t, res, RestError.of("INTERNAL_SERVER_ERROR", "Internal server error"));
        }
    }

    /**
     * A method called "behind the module" (the served PHP box module hands the box's own methods on to this emulator,
     * box-module/stubs/BoxStub/Behind.php): the caller is who the box's auth chain — the module's validator — said.
     */
    void behind(ServerRequest req, ServerResponse res, String method, Caller caller) {
        Trace t = new Trace(clock.instant(), req.prologue().method().text(), req.path().path());
        if (!preFaults(t, res)) {
            return;
        }
        try {
            t.method = methodName(method);
            t.authKind = "behind-module";
            byte[] body = body(req);
            String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
            // the uploadUrl's second step, handed on by the module's box as it came: the query, the file
            boolean upload = t.method.equals("upload");
            Args args = new Args(upload ? FormParams.parse(req.query().rawValue())
                    : params(req.query().rawValue(), body, contentType));
            t.params = Masking.params(args.raw());
            run(t, res, args, caller, upload ? () -> Multipart.boundary(contentType)
                    .map(b -> Multipart.parts(body, b).get(Recordings.UPLOAD_FIELD)).orElse(null) : null);
        } catch (RestError e) {
            error(t, res, e);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "method " + t.method + " failed inside the emulator", e);
            error(t, res, RestError.of("INTERNAL_SERVER_ERROR", "Internal server error"));
        }
    }

    /** The method run for the caller, after the rate limit; {@code upload}: the uploadUrl's file (null otherwise). */
    private void run(Trace t, ServerResponse res, Args args, Caller caller, Supplier<byte[]> upload) {
        t.userId = caller.userId();
        if (!limiter.tryAcquire(caller.principal())) {
            throw RestError.of("QUERY_LIMIT_EXCEEDED", "Too many requests");
        }
        if (upload != null) {
            success(t, res, recordings.upload(args.text("token"), upload.get()));
            return;
        }
        success(t, res, methods.invoke(new Invocation(t.method, args, caller)));
    }

    /**
     * The subject (RFC 2253) of the request's verified client certificate, null without one: what nginx hands a box
     * module as {@code $ssl_client_s_dn} on the appliance's mutual-TLS server block.
     */
    static String clientDn(ServerRequest req) {
        return req.remotePeer().tlsCertificates()
                .filter(c -> c.length > 0 && c[0] instanceof X509Certificate)
                .map(c -> ((X509Certificate) c[0]).getSubjectX500Principal().getName())
                .orElse(null);
    }

    private static String methodName(String last) {
        String m = last.toLowerCase(Locale.ROOT);
        return m.endsWith(".json") ? m.substring(0, m.length() - 5) : m;
    }

    /**
     * The application's access token: {@code auth} or {@code access_token}, or an {@code Authorization: Bearer}
     * header (rest/lib/oauth/auth.php:194-220, getAuthKey).
     */
    private static String accessToken(Args args, ServerRequest req) {
        String token = args.text("auth");
        if (token.isEmpty()) {
            token = args.text("access_token");
        }
        if (token.isEmpty()) {
            token = req.headers().first(HeaderNames.AUTHORIZATION)
                    .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(h -> h.substring(7).strip()).orElse("");
        }
        return token;
    }

    /** Latency, an outage answered 503, the error rate, drops before execution. False: already answered. */
    private boolean preFaults(Trace t, ServerResponse res) {
        Faults.sleep(faults.latency());
        if (faults.currentOutage() == Faults.Outage.UNAVAILABLE) {
            unavailable(t, res);
            return false;
        }
        if (faults.failNow()) {
            error(t, res, RestError.of("INTERNAL_SERVER_ERROR", "Internal server error"));
            return false;
        }
        String limit = faults.limitNow();
        if (limit != null) {
            error(t, res, limit.equals("QUERY_LIMIT_EXCEEDED") ? RestError.of(limit, "Too many requests")
                    : RestError.of(limit, "Method is blocked due to operation time limit."));
            return false;
        }
        if (faults.dropNow(Faults.DropPoint.BEFORE_EXECUTION)) {
            record(t, 0, "CONNECTION_DROPPED", "dropped before execution");
            throw new CloseConnectionException("fault: connection dropped before execution");
        }
        return true;
    }

    private void unavailable(Trace t, ServerResponse res) {
        record(t, 503, "SERVICE_UNAVAILABLE", "outage");
        res.status(Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CONTENT_TYPE, "text/html");
        res.send(UNAVAILABLE_PAGE.getBytes(StandardCharsets.US_ASCII));
    }

    private void success(Trace t, ServerResponse res, Reply reply) {
        if (faults.dropNow(Faults.DropPoint.AFTER_EXECUTION)) {
            record(t, 0, "CONNECTION_DROPPED", "dropped after execution");
            throw new CloseConnectionException("fault: connection dropped after execution");
        }
        Faults.sleep(faults.slowNow());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", reply.result());
        if (reply.total() != null) {
            out.put("total", reply.total());
        }
        if (reply.next() != null) {
            out.put("next", reply.next());
        }
        out.put("time", RestTime.of(t.at, t.t0));
        // logged before the answer leaves: whoever got the answer finds the entry
        record(t, 200, null, null);
        send(res, 200, out);
    }

    private void error(Trace t, ServerResponse res, RestError e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", e.code());
        out.put("error_description", e.description());
        out.putAll(e.additional());
        record(t, e.status(), e.code(), e.description());
        send(res, e.status(), out);
    }

    private void send(ServerResponse res, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer cannot be written as JSON", e);
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.send(bytes);
    }

    private void record(Trace t, int status, String error, String description) {
        log.add(t.at, t.httpMethod, t.path, t.method, t.authKind, t.userId, t.params, status, error, description,
                (System.nanoTime() - t.t0) / 1000);
    }

    private static byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        if (req.headers().contentLength().orElse(0) > MAX_BODY) {
            throw RestError.of("INVALID_REQUEST", "Request body is too large");
        }
        return req.content().as(byte[].class);
    }

    /** Query parameters, then the body's (form or JSON) over them. */
    private Map<String, Object> params(String rawQuery, byte[] body, String contentType) {
        Map<String, Object> all = new LinkedHashMap<>(FormParams.parse(rawQuery));
        if (body.length == 0) {
            return all;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/json") || (ct.isEmpty() && body[0] == '{')) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = json.readValue(body, Map.class);
                if (parsed != null) {
                    all.putAll(FormParams.normalise(parsed));
                }
            } catch (IOException | ClassCastException e) {
                throw RestError.of("INVALID_REQUEST", "The request body is not valid JSON");
            }
        } else {
            all.putAll(FormParams.parse(new String(body, StandardCharsets.UTF_8)));
        }
        return all;
    }

    // ---- /oauth/token/ ----

    /**
     * The OAuth server's token endpoint (on its own port; a REFUSED OAuth fault or an air-gapped box closes the
     * port itself). An OAuth outage answers 503.
     */
    void token(ServerRequest req, ServerResponse res) {
        Trace t = new Trace(clock.instant(), req.prologue().method().text(), req.path().path());
        t.method = "oauth.token";
        t.authKind = "oauth";
        if (faults.currentOauth() == Faults.OAuthState.UNAVAILABLE) {
            unavailable(t, res);
            return;
        }
        try {
            byte[] body = body(req);
            Args p = new Args(params(req.query().rawValue(), body,
                    req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")));
            t.params = Masking.params(p.raw());
            OAuthServer.TokenAnswer answer = oauth.refresh(p);
            Object error = answer.body().get("error");
            record(t, answer.status(), error == null ? null : error.toString(),
                    error == null ? null : String.valueOf(answer.body().get("error_description")));
            send(res, answer.status(), answer.body());
        } catch (RestError e) {
            error(t, res, e);
        }
    }

    // ---- the b24bridge module's token endpoint ----

    /** {@code /bitrix/services/b24bridge.connector/token.php} on a box with the module: served like any box page. */
    void moduleToken(ServerRequest req, ServerResponse res, ModuleTokenEndpoint endpoint) {
        Trace t = new Trace(clock.instant(), req.prologue().method().text(), req.path().path());
        t.method = "b24bridge.token";
        t.authKind = "module";
        if (!preFaults(t, res)) {
            return;
        }
        byte[] body;
        try {
            body = body(req);
        } catch (RestError e) {
            error(t, res, e);
            return;
        }
        t.params = Masking.params(FormParams.parse(new String(body, StandardCharsets.UTF_8)));
        ModuleTokenEndpoint.Answer answer = endpoint.handle(req.prologue().method().text(), body, clientDn(req));
        Object error = answer.body().get("error");
        record(t, answer.status(), error == null ? null : error.toString(),
                error == null ? null : String.valueOf(answer.body().get("error_description")));
        send(res, answer.status(), answer.body());
    }

    /** A REST-style error for paths that are neither REST nor known (the box's 404 page is HTML; close enough). */
    void notFound(ServerResponse res) {
        send(res, 404, Map.of("error", "NOT_FOUND", "error_description", "Not found"));
    }
}
