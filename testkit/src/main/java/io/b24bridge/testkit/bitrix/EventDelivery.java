package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The box's outgoing HTTP (§3, §5.11): events and the install POSTed form-encoded to handlers over HTTPS,
 * presenting the box's client certificate and trusting the configured CA, host names verified; a failed
 * delivery (no answer or not 2xx) is retried a few times with a doubling pause. Every delivery is kept (the
 * last 1000) with each attempt's answer. The same client downloads RECORD_URLs.
 */
final class EventDelivery {

    private static final Logger LOG = Logger.getLogger(EventDelivery.class.getName());
    private static final int KEEP = 1000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final class Pending {
        final int id;
        final String event;
        final String handler;
        final Integer bindingId;
        final String kind;
        final Instant createdAt;
        final Map<String, Object> maskedForm;
        final List<Delivery.Attempt> attempts = new ArrayList<>();
        volatile String status = "PENDING";

        Pending(int id, String event, String handler, Integer bindingId, String kind, Map<String, Object> form) {
            this.id = id;
            this.event = event;
            this.handler = handler;
            this.bindingId = bindingId;
            this.kind = kind;
            this.createdAt = clock.instant();
            this.maskedForm = Masking.params(form);
        }

        synchronized Delivery view() {
            return new Delivery(id, event, handler, bindingId, kind, createdAt, status, List.copyOf(attempts), maskedForm);
        }
    }

    private final HttpClient http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Settings settings;
    private final Clock clock;
    private final AtomicInteger ids = new AtomicInteger();
    private final ConcurrentLinkedDeque<Pending> kept = new ConcurrentLinkedDeque<>();

    EventDelivery(SSLContext ssl, Settings settings, Clock clock) {
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ssl)
                .sslParameters(params)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.settings = settings;
        this.clock = clock;
    }

    /** POSTs {@code form} to {@code handler} in the background, retrying as configured. */
    CompletableFuture<Delivery> deliver(String event, String handler, Integer bindingId, String kind,
                                        Map<String, Object> form) {
        Pending p = new Pending(ids.incrementAndGet(), event, handler, bindingId, kind, form);
        kept.addLast(p);
        while (kept.size() > KEEP) {
            kept.pollFirst();
        }
        String body = FormParams.encode(form);
        return CompletableFuture.supplyAsync(() -> run(p, body), executor);
    }

    private Delivery run(Pending p, String body) {
        int max = settings.deliveryAttempts();
        Duration pause = settings.deliveryBackoff();
        for (int attempt = 1; attempt <= max; attempt++) {
            Instant at = clock.instant();
            long t0 = System.nanoTime();
            int status = 0;
            String error = null;
            String answer = null;
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(p.handler))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("User-Agent", "Bitrix24 Webhook Engine")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build();
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                status = res.statusCode();
                answer = res.body().length() > 500 ? res.body().substring(0, 500) : res.body();
            } catch (IOException | IllegalArgumentException e) {
                error = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            synchronized (p) {
                p.attempts.add(new Delivery.Attempt(at, status, error, answer, millis));
                if (status >= 200 && status < 300) {
                    p.status = "DELIVERED";
                    return p.view();
                }
            }
            if (attempt < max) {
                Faults.sleep(pause);
                pause = pause.multipliedBy(2);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        synchronized (p) {
            p.status = "FAILED";
            String last = p.attempts.isEmpty() ? "" : String.valueOf(p.attempts.getLast().error() != null
                    ? p.attempts.getLast().error() : "HTTP " + p.attempts.getLast().status());
            LOG.info(() -> "event " + p.event + " to " + p.handler + " failed after " + p.attempts.size()
                    + " attempts: " + last);
            return p.view();
        }
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

    /** GET for RECORD_URL: the box downloads the record once (§2). */
    Recordings.Fetched fetch(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Recordings.Fetched(res.statusCode(), res.body());
    }

    List<Delivery> deliveries() {
        List<Delivery> out = new ArrayList<>();
        for (Pending p : kept) {
            out.add(p.view());
        }
        return out;
    }

    void clear() {
        kept.clear();
    }

    void close() {
        executor.shutdownNow();
        http.shutdownNow();
    }
}
