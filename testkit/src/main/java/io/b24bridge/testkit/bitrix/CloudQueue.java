package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

/**
 * Bitrix's cloud event queue, the {@link EventSender} of a box with internet: the box hands each event to the
 * OAuth server ({@code rest.event.call}, rest/lib/event/provideroauth.php:49) and Bitrix's queue servers POST it
 * to the handler. So here the POST comes from a client of its own, not the box's: no client certificate (the
 * handler must be reachable from the internet and take plain HTTPS — docs event-bind.md, network-access.md), a
 * {@code User-Agent} of Bitrix's, one attempt and no retry ("No retries. If your server does not respond or
 * returns an error, the Bitrix24 queue server will log the failure but will not resend the event",
 * events/index.md). When the box cannot reach the OAuth server the event never leaves the box (the provider only
 * logs: provideroauth.php:51-64): its delivery ends {@code NOT_SENT}. On demand every event is delivered twice, as
 * queues do now and then (asterlink ignores "the same oID" for that).
 */
final class CloudQueue implements EventSender {

    private static final Logger LOG = Logger.getLogger(CloudQueue.class.getName());
    static final String NOT_SENT = "NOT_SENT";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final OAuthServer server;
    private final Settings settings;
    private final DeliveryLog log;
    private final Clock clock;

    /** @param trust trusts the handlers' certificates; presents none */
    CloudQueue(SSLContext trust, OAuthServer server, Settings settings, DeliveryLog log, Clock clock) {
        this.http = BoxHttp.client(trust, executor);
        this.server = server;
        this.settings = settings;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Sent send(Outgoing e) {
        if (e.handler() == null && !server.reachable()) {
            return new Sent(null, null);
        }
        if (!server.reachable()) {
            DeliveryLog.Entry entry = log.start(e.event(), e.handler(), e.bindingId(), e.kind().name(),
                    form(e, Map.of()));
            LOG.info(() -> "event " + e.event() + " not sent: the box cannot reach the OAuth server (rest.event.call)");
            return new Sent(null, CompletableFuture.completedFuture(entry.end(NOT_SENT)));
        }
        Tokens tokens = e.kind() == EventBinding.Kind.APPLICATION && e.userId() != null
                ? server.issue(e.userId(), e.withRefresh() ? "install" : "event") : null;
        Map<String, Object> auth = e.kind() == EventBinding.Kind.APPLICATION
                ? server.eventAuth(tokens, e.withRefresh(), e.appToken())
                : server.webhookEventAuth(e.appToken());
        if (e.handler() == null) {
            return new Sent(tokens, null); // nothing to POST to: the tokens went to the installer another way
        }
        Map<String, Object> form = form(e, auth);
        DeliveryLog.Entry entry = log.start(e.event(), e.handler(), e.bindingId(), e.kind().name(), form);
        String body = FormParams.encode(form);
        int times = settings.duplicateEvents() ? 2 : 1;
        return new Sent(tokens, CompletableFuture.supplyAsync(() -> {
            boolean delivered = false;
            for (int i = 0; i < times; i++) {
                delivered |= post(http, entry, e.handler(), body, clock);
            }
            if (!delivered) {
                LOG.info(() -> "event " + e.event() + " to " + e.handler() + " failed; the queue does not retry");
            }
            return entry.end(delivered ? "DELIVERED" : "FAILED");
        }, executor));
    }

    private Map<String, Object> form(Outgoing e, Map<String, Object> auth) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("event", e.event());
        if (e.bindingId() != null) {
            f.put("event_handler_id", String.valueOf(e.bindingId()));
        }
        f.put("data", e.data());
        f.put("ts", String.valueOf(clock.instant().getEpochSecond()));
        f.put("auth", auth);
        return f;
    }

    /** One form POST to the handler, recorded as an attempt; true when it answered 2xx. */
    static boolean post(HttpClient http, DeliveryLog.Entry entry, String handler, String body, Clock clock) {
        Instant at = clock.instant();
        long t0 = System.nanoTime();
        int status = 0;
        String error = null;
        String answer = null;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(handler))
                    .timeout(BoxHttp.REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("User-Agent", "Bitrix24 Webhook Engine")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            status = res.statusCode();
            answer = res.body().length() > 500 ? res.body().substring(0, 500) : res.body();
        } catch (IOException | IllegalArgumentException ex) {
            error = describe(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        entry.attempt(new Delivery.Attempt(at, status, error, answer, (System.nanoTime() - t0) / 1_000_000));
        return status >= 200 && status < 300;
    }

    /** The exception and, when different, its root cause: "ConnectException (ClosedChannelException)". */
    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e ? text : text + " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    @Override
    public java.util.List<Delivery> deliveries() {
        return log.all();
    }

    @Override
    public void clear() {
        log.clear();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        http.shutdownNow();
    }
}
