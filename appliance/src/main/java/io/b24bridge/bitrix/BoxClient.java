package io.b24bridge.bitrix;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.bitrix.auth.TokenCipher;
import io.b24bridge.bitrix.auth.TokenStore;
import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.store.Database;

/**
 * Calls REST methods of the Bitrix24 box: rate-limited, authorised (application or webhook), over warm
 * mutual-TLS connections; answers are the {@code result} node, failures a {@link BoxException} saying
 * whether to retry. An {@code expired_token} is renewed and the request retried once.
 * Parameters and URLs are never logged: they carry tokens, and in webhook mode the secret.
 */
public final class BoxClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BoxClient.class.getName());

    /** Routing's lookups may use this share of the box's rate: a flood of new numbers cannot starve delivery. */
    static final double ROUTING_SHARE = 0.2;
    /** A proxy's refusals repeat with every retry: the log says so at most this often. */
    static final Duration REFUSAL_LOG_EVERY = Duration.ofMinutes(10);

    /** The box's configured address: uploads go there, whatever address the box names itself by. */
    private final URI base;
    private final BoxTransport transport;
    /** Other transports the auth uses (application auth: to Bitrix's OAuth server), closed with this client. */
    private final List<BoxTransport> others;
    private final BoxAuth auth;
    /** The box's whole rate, which every request takes from. */
    private final RateLimiter limiter;
    /** This lane's own cap within it (routing), or null (delivery: the whole rate when routing is quiet). */
    private final RateLimiter laneLimiter;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Shared shared;

    /** What the lanes of one box share: the health figures and the recovery listeners. */
    private static final class Shared {
        final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
        final AtomicReference<CallFailure> lastFailure = new AtomicReference<>();
        /** The last failure that meant the box was away or refused the credentials: its next success is a recovery. */
        final AtomicReference<Instant> lastAway = new AtomicReference<>();
        /** The last request the box's web server turned away (F8), for the operator's alarm in /health. */
        final AtomicReference<CallFailure> lastRefusal = new AtomicReference<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        /** An auth failure was logged and nothing succeeded since: the next one is not logged again. */
        final AtomicBoolean authAlarm = new AtomicBoolean();
        final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();
    }

    BoxClient(URI base, BoxTransport transport, BoxAuth auth, RateLimiter limiter, ObjectMapper mapper, Clock clock) {
        this(base, transport, List.of(), auth, limiter, null, mapper, clock, new Shared());
    }

    private BoxClient(URI base, BoxTransport transport, List<BoxTransport> others, BoxAuth auth, RateLimiter limiter,
                      RateLimiter laneLimiter, ObjectMapper mapper, Clock clock, Shared shared) {
        this.base = base;
        this.transport = transport;
        this.others = others;
        this.auth = auth;
        this.limiter = limiter;
        this.laneLimiter = laneLimiter;
        this.mapper = mapper;
        this.clock = clock;
        this.shared = shared;
    }

    /**
     * The same box for routing's lookups: the same connection, credentials and health, but at most
     * {@link #ROUTING_SHARE} of the rate (and of the burst), taken from the box's whole rate like any request.
     * Callers whose numbers are new each time (a flood, spoofed caller IDs) then wait in their own line, and
     * delivery keeps at least the rest.
     */
    public BoxClient routingLane() {
        RateLimiter share = new RateLimiter(Math.max(1, limiter.maxRate() * ROUTING_SHARE),
                Math.max(2, (int) Math.round(limiter.burst() * ROUTING_SHARE)));
        // no transports of its own to close: the box's client closes them
        return new BoxClient(base, transport, List.of(), auth, limiter, share, mapper, clock, shared);
    }

    /**
     * Renews the access token ahead of its expiry (the token-renewal job): application auth only, others have nothing
     * that lapses.
     *
     * @return one line saying what was done
     */
    public String renewTokensAhead(Duration within) throws BoxException {
        return auth.renewAhead(within);
    }

    /** The client for the configured box; application tokens are kept in {@code db}, encrypted with the key in {@code keyFile}. */
    public static BoxClient create(ApplianceConfig.Bitrix24 config, Database db, Path keyFile, ObjectMapper mapper) {
        BoxTransport transport = BoxTransport.create(config);
        List<BoxTransport> others = new ArrayList<>();
        BoxAuth auth = switch (config.auth()) {
            case WEBHOOK -> new WebhookAuth(config.url(), config.webhook().orElseThrow());
            case MODULE -> new ModuleAuth(config.url(), config.module().orElseThrow(),
                    (uri, form) -> transport.postForm("b24bridge.token", uri, form), mapper, Clock.systemUTC());
            case APPLICATION -> {
                BoxTransport oauth = BoxTransport.toOAuthServer(config);
                others.add(oauth);
                yield new ApplicationAuth(config.url(), config.application().orElseThrow(),
                        new TokenStore(db, TokenCipher.fromKeyFile(keyFile)),
                        (uri, form) -> oauth.postForm("oauth.token", uri, form), mapper, Clock.systemUTC());
            }
        };
        return new BoxClient(config.url(), transport, List.copyOf(others), auth,
                new RateLimiter(config.ratePerSecond(), config.rateBurst()), null, mapper, Clock.systemUTC(),
                new Shared());
    }

    /** One successful answer: {@code result}, and for list methods {@code total} and {@code next}. */
    public record Answer(JsonNode result, Integer total, Integer next) {
    }

    /** The last failure, for /health: when, which method, its code and message (no parameters). */
    public record CallFailure(Instant at, String method, String code, String message) {
    }

    /** Calls {@code method}; returns its {@code result}. */
    public JsonNode call(String method, Params params) throws BoxException {
        return answer(method, params).result();
    }

    /**
     * Calls {@code method} allowing its answer {@code timeout} (a long poll of the module's queue waits up to 25 s,
     * longer than a request is otherwise given).
     */
    public JsonNode call(String method, Params params, Duration timeout) throws BoxException {
        return answer(method, params, timeout).result();
    }

    /** Calls {@code method}; returns the whole answer (lists page with {@code start=}). */
    public Answer answer(String method, Params params) throws BoxException {
        return answer(method, params, null);
    }

    private Answer answer(String method, Params params, Duration timeout) throws BoxException {
        return tracked(method, () -> attempt(method, params, true, timeout));
    }

    /**
     * Sends a file to an upload URL the box handed out (attachRecord's {@code uploadUrl}): one multipart field, the
     * file streamed from disk. The URL is taken onto the configured box address (the box names itself by its portal
     * name, which the appliance may reach under another); it carries its own authorisation.
     *
     * @return the upload's {@code result}
     */
    public JsonNode upload(URI uploadUrl, String field, String fileName, Path file) throws BoxException {
        URI target = URI.create(base.getScheme() + "://" + base.getRawAuthority() + uploadUrl.getRawPath()
                + (uploadUrl.getRawQuery() == null ? "" : "?" + uploadUrl.getRawQuery()));
        return tracked("upload", () -> {
            FileBody body = FileBody.multipart(field, fileName, file);
            return read("upload", paced(() -> transport.postStreamed("upload", target, body.contentType(),
                    body.publisher(), body.sendTime())), false, () -> {
                throw new IllegalStateException("an upload URL is not renewed");
            });
        }).result();
    }

    /**
     * Calls {@code method} with one more parameter, {@code field}, that is the file's content in base64, streamed
     * from disk into the form (attachRecord's {@code FILE_CONTENT}, where the box hands out no upload URL).
     */
    public JsonNode callWithFile(String method, Params params, String field, Path file) throws BoxException {
        return tracked(method, () -> withFile(method, params, field, file, true)).result();
    }

    private Answer withFile(String method, Params params, String field, Path file, boolean mayRenew)
            throws BoxException {
        Params p = Params.of();
        params.asMap().forEach(p::put);
        auth.authorize(p, method);
        FileBody body = FileBody.base64Field(p.encode(), field, file);
        return read(method, paced(() -> transport.postStreamed(method, auth.methodUri(method), body.contentType(),
                body.publisher(), body.sendTime())), mayRenew, () -> withFile(method, params, field, file, false));
    }

    /** A request, again with a renewed token (after {@code expired_token}). */
    @FunctionalInterface
    private interface Attempt {
        Answer run() throws BoxException;
    }

    /** Runs one request with the client's bookkeeping: counts, the last success and failure, recovery, alarms. */
    private Answer tracked(String method, Attempt attempt) throws BoxException {
        shared.requests.incrementAndGet();
        try {
            Answer a = attempt.run();
            if (auth instanceof WebhookAuth w) {
                w.accepted(method); // before the success is recorded: whoever sees it sees the refusal cleared
            }
            Instant previous = shared.lastSuccess.getAndSet(clock.instant());
            Instant away = shared.lastAway.get();
            if (away != null && (previous == null || away.isAfter(previous))) {
                recovered(); // the first answer after failures: the box is back
            }
            shared.authAlarm.set(false);
            return a;
        } catch (BoxException e) {
            shared.failures.incrementAndGet();
            CallFailure failure = new CallFailure(clock.instant(), method, e.code(), e.getMessage());
            shared.lastFailure.set(failure);
            if (e instanceof BoxException.Refused) {
                // the box answered (its web server did): nothing to recover from, an operator's alarm
                CallFailure before = shared.lastRefusal.getAndSet(failure);
                if (before == null || before.at().isBefore(failure.at().minus(REFUSAL_LOG_EVERY))) {
                    LOG.warning(e.getMessage());
                }
            } else if (!(e instanceof BoxException.Fatal)) {
                shared.lastAway.set(failure.at());
            }
            if (e.code().equals("WRONG_AUTH_TYPE") && auth instanceof WebhookAuth w) {
                w.refused(method, "the box refused webhook auth for " + method + " (WRONG_AUTH_TYPE)");
            }
            if (e instanceof BoxException.Auth && shared.authAlarm.compareAndSet(false, true)) {
                LOG.warning(e.getMessage() + "; what waits is sent once the box accepts the appliance again");
            } else if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(e.getMessage());
            }
            throw e;
        }
    }

    /** Runs up to 50 commands as one request (one against the rate limit). */
    public Batch.Result batch(Batch batch, boolean halt) throws BoxException {
        JsonNode result = call("batch", batch.params(halt));
        return Batch.Result.of(result);
    }

    private Answer attempt(String method, Params params, boolean mayRenew, Duration timeout) throws BoxException {
        Params p = Params.of();
        params.asMap().forEach(p::put);
        auth.authorize(p, method);
        BoxTransport.RawResponse raw = paced(() -> transport.postForm(method, auth.methodUri(method), p.encode(),
                timeout));
        return read(method, raw, mayRenew, () -> attempt(method, params, false, timeout));
    }

    /** A request over the transport. */
    @FunctionalInterface
    private interface Send {
        BoxTransport.RawResponse run() throws BoxException.Retryable;
    }

    /**
     * Sends once the rate limit allows it. A request that never left (no connection: the box refused it or is
     * unreachable) gives its permit back: the box counted nothing, and permits spent on a box that is away would
     * leave the appliance pacing itself below the box's limit once it returns, its burst unused.
     */
    private BoxTransport.RawResponse paced(Send send) throws BoxException.Retryable {
        acquire();
        try {
            return send.run();
        } catch (BoxException.Retryable e) {
            if (NEVER_SENT.equals(e.code())) {
                limiter.giveBack();
                if (laneLimiter != null) {
                    laneLimiter.giveBack();
                }
            }
            throw e;
        }
    }

    /** The transport's code for a request that could not leave (BoxTransport). */
    static final String NEVER_SENT = "UNREACHABLE";

    /** This lane's share of the rate, then the box's. */
    private void acquire() {
        if (laneLimiter != null) {
            laneLimiter.acquire();
        }
        limiter.acquire();
    }

    /** Reads an answer: its result, or the failure it tells; an expired token is renewed and {@code again} run. */
    private Answer read(String method, BoxTransport.RawResponse raw, boolean mayRenew, Attempt again)
            throws BoxException {
        JsonNode body;
        try {
            body = raw.body().length == 0 ? null : mapper.readTree(raw.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            String text = "Bitrix24 " + method + ": HTTP " + raw.status() + " without a JSON answer";
            if (raw.status() >= 500 || raw.status() == 429) {
                throw new BoxException.Retryable(method, "HTTP_" + raw.status(), text, null);
            }
            // the box's web server turned it away before Bitrix24 saw it: the proxy needs fixing (F8)
            throw new BoxException.Refused(method, raw.status(), text + (raw.status() == 413
                    ? ": the box's web server refused the request as too large; raise client_max_body_size in its "
                    + "nginx (docs/bitrix24.md, Large recordings); retried meanwhile"
                    : ": the box's web server refused it (a client certificate rule? docs/bitrix24.md); retried "
                    + "meanwhile"));
        }
        if (body.has("error")) {
            String code = body.path("error").asText("");
            String description = body.path("error_description").asText("");
            if (ErrorClassifier.QUERY_LIMIT_EXCEEDED.equals(code)) {
                limiter.pushBack();
                if (laneLimiter != null) {
                    laneLimiter.pushBack();
                }
            } else {
                took();
            }
            if (auth.renewsAfter(code) && mayRenew && auth.renewAfterExpiry(method)) {
                return again.run();
            }
            throw ErrorClassifier.classify(method, raw.status(), code, description);
        }
        took();
        if (!body.has("result")) {
            throw new BoxException.Fatal(method, "NO_RESULT", "Bitrix24 " + method + ": HTTP " + raw.status()
                    + " answer without result", null);
        }
        return new Answer(body.get("result"), body.hasNonNull("total") ? body.get("total").asInt() : null,
                body.hasNonNull("next") ? body.get("next").asInt() : null);
    }

    /** The box answered without a limit's refusal: a next refusal is a limit met, not a passing one. */
    private void took() {
        limiter.took();
        if (laneLimiter != null) {
            laneLimiter.took();
        }
    }

    /**
     * Runs {@code r} whenever the box answers again after failing, and when the application is (re)installed:
     * work that waits for the box or for credentials can go now.
     */
    public void onRecovery(Runnable r) {
        shared.onRecovery.add(r);
    }

    private void recovered() {
        LOG.info("Bitrix24 answers again");
        runRecoveryListeners();
    }

    private void runRecoveryListeners() {
        for (Runnable r : shared.onRecovery) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warning("a recovery listener failed: " + e);
            }
        }
    }

    /**
     * {@code app.info} asked with an access token that is not (yet) ours — an install event's — at the configured box,
     * over its mutual TLS: the application the token belongs to ({@code CODE}, a local application's client_id;
     * box rest/classes/general/rest_provider.php appInfo). Nothing is stored; the box's refusal is a
     * {@link BoxException}.
     */
    public String applicationOf(Secret accessToken) throws BoxException {
        limiter.acquire();
        BoxTransport.RawResponse raw = transport.postForm("app.info", auth.methodUri("app.info"),
                "auth=" + Params.enc(accessToken.revealString()));
        JsonNode body;
        try {
            body = raw.body().length == 0 ? null : mapper.readTree(raw.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new BoxException.Retryable("app.info", "HTTP_" + raw.status(), "Bitrix24 app.info: HTTP "
                    + raw.status() + " without a JSON answer", null);
        }
        if (body.has("error")) {
            throw ErrorClassifier.classify("app.info", raw.status(), body.path("error").asText(""),
                    body.path("error_description").asText(""));
        }
        return body.path("result").path("CODE").asText("");
    }

    /** Whether the appliance authenticates as a local application (tokens from an install), not a webhook. */
    public boolean applicationMode() {
        return auth instanceof ApplicationAuth;
    }

    /** The install event's tokens (application mode). */
    public void installed(Tokens tokens) {
        if (auth instanceof ApplicationAuth a) {
            a.installed(tokens);
            // commands that failed for want of tokens sit out an auth pause (30 s, doubling to 5 min): they go now
            runRecoveryListeners();
        }
    }

    /** The stored application tokens (application mode), e.g. to check an event's application token. */
    public Optional<Tokens> tokens() {
        return auth instanceof ApplicationAuth a ? a.tokens() : Optional.empty();
    }

    /** What /health shows about the box. */
    public record Status(BoxAuth.AuthStatus auth, Instant lastSuccess, CallFailure lastFailure, long requests,
                         long failures, double allowedRatePerSecond, CallFailure lastRefusal) {
    }

    public Status status() {
        return new Status(auth.status(), shared.lastSuccess.get(), shared.lastFailure.get(), shared.requests.get(),
                shared.failures.get(), Math.round(limiter.rate() * 100) / 100.0, shared.lastRefusal.get());
    }

    /** Whether the box is reached through the b24bridge module (its token endpoint, its queue, b24bridge.*). */
    public boolean throughModule() {
        return auth instanceof ModuleAuth;
    }

    @Override
    public void close() {
        transport.close();
        others.forEach(BoxTransport::close);
    }
}
