package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.helidon.common.tls.Tls;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

import io.b24bridge.certs.DevPki;

/**
 * Stands for an event handler: an HTTPS server (appliance-server.p12) that keeps every POST it receives with the
 * client certificate's subject, and answers the statuses it is told to (200 once the list is used up). Either open
 * to the internet (no client certificate asked, what Bitrix's cloud queue can reach) or mutual TLS (client
 * certificates from the development CA required, like the appliance's box listener).
 */
final class EventHandlerServer implements AutoCloseable {

    /** One POST received: the form as PHP would read it, and who presented which certificate. */
    record Received(String path, Map<String, Object> form, String clientSubject) {

        @SuppressWarnings("unchecked")
        Map<String, Object> section(String name) {
            Object v = form.get(name);
            return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        String text(String name) {
            return Args.str(form.get(name));
        }
    }

    private final WebServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    /** A handler open to the internet: no client certificate asked. */
    EventHandlerServer(DevPki.Files pki) {
        this(pki, false);
    }

    EventHandlerServer(DevPki.Files pki, boolean requireClientCert) {
        EmulatorTls material = EmulatorTls.fromPkcs12(pki.applianceServer(), pki.password(), pki.trustStore(), null);
        Tls tls = material.server(requireClientCert);
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .tls(tls)
                .routing(r -> r.any((req, res) -> {
                    String body = new String(req.content().as(byte[].class), StandardCharsets.UTF_8);
                    String subject = req.remotePeer().tlsCertificates()
                            .map(certs -> certs.length == 0 ? "" : subject(certs[0]))
                            .orElse("");
                    received.add(new Received(req.path().path(), FormParams.parse(body), subject));
                    Integer status = statuses.poll();
                    res.status(Status.create(status == null ? 200 : status)).send("OK");
                }))
                .build()
                .start();
    }

    private static String subject(Certificate c) {
        return c instanceof X509Certificate x ? x.getSubjectX500Principal().getName() : "";
    }

    /** The next answers, in order (then 200). */
    EventHandlerServer answer(Integer... codes) {
        statuses.addAll(List.of(codes));
        return this;
    }

    void clearAnswers() {
        statuses.clear();
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    /** The next POST received, waiting up to {@code timeout}; fails the test when none comes. */
    Received next(Duration timeout) {
        try {
            Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no POST reached the handler within " + timeout);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything received so far, without waiting. */
    List<Received> drain() {
        List<Received> out = new ArrayList<>();
        received.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop();
    }
}
