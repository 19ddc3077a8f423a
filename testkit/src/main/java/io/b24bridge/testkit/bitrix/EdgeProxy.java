package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.helidon.common.tls.TlsClientAuth;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The customer's edge reverse proxy in front of a mutual-TLS handler — not part of the box. Bitrix's cloud queue
 * POSTs events from the internet without a client certificate ({@link CloudQueue}); a site that keeps its handler
 * behind mutual TLS puts a proxy like this (nginx in practice) at the edge: it takes plain HTTPS and forwards each
 * request to the handler presenting its own client certificate. Tests and the sandbox use it to reach the
 * appliance's box listener the way a connected box's events must.
 */
public final class EdgeProxy implements AutoCloseable {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient upstream;
    private final URI target;
    private final WebServer server;
    private final String host;

    private EdgeProxy(EmulatorTls tls, String host, int port, URI target) {
        this.upstream = BoxHttp.client(tls.client(), executor);
        this.target = target;
        this.host = host;
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .tls(tls.server(TlsClientAuth.NONE))
                .routing(r -> r.any(this::forward))
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            throw new IllegalStateException("the edge proxy cannot listen on " + host + ":" + port);
        }
    }

    /**
     * Listens on {@code host:port} (0: any free port) with {@code tls}'s server key, asking no client certificate;
     * forwards to {@code target} (scheme, host and port; the request's path and query are kept) presenting
     * {@code tls}'s client key.
     */
    public static EdgeProxy start(EmulatorTls tls, String host, int port, URI target) {
        return new EdgeProxy(tls, host, port, target);
    }

    public int port() {
        return server.port();
    }

    /** The public URL of {@code path} on this proxy, e.g. {@code url("/bitrix24/events")}. */
    public String url(String path) {
        return "https://" + host + ":" + port() + path;
    }

    private void forward(ServerRequest req, ServerResponse res) {
        String query = req.query().rawValue();
        URI uri = target.resolve(req.path().rawPath() + (query.isEmpty() ? "" : "?" + query));
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).timeout(BoxHttp.REQUEST_TIMEOUT)
                .method(req.prologue().method().text(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        req.headers().first(HeaderNames.CONTENT_TYPE).ifPresent(ct -> out.header("Content-Type", ct));
        req.headers().first(HeaderNames.USER_AGENT).ifPresent(ua -> out.header("User-Agent", ua));
        try {
            HttpResponse<byte[]> answer = upstream.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            res.status(Status.create(answer.statusCode()));
            answer.headers().firstValue("Content-Type").ifPresent(ct -> res.header(HeaderNames.CONTENT_TYPE, ct));
            res.send(answer.body());
        } catch (IOException e) {
            res.status(Status.BAD_GATEWAY_502).send("edge proxy: the handler cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            res.status(Status.BAD_GATEWAY_502).send("edge proxy: interrupted");
        }
    }

    @Override
    public void close() {
        server.stop();
        executor.shutdownNow();
        upstream.shutdownNow();
    }
}
