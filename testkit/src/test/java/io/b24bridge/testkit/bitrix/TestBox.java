package io.b24bridge.testkit.bitrix;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.certs.DevPki;

/**
 * A started emulator behind real HTTPS with mutual TLS (DevPki certificates), and a client that talks to it
 * the way the appliance will: form-encoded POSTs to {@code /rest/<method>.json} with {@code auth=}, presenting
 * the appliance's client certificate. Tests speak HTTP through this, never to emulator internals; the
 * in-process accessors ({@code emu.state()}) are used to look, and to seed where the control API is not the
 * subject.
 */
final class TestBox implements AutoCloseable {

    /** An HTTP answer: status and body (JSON when it is JSON, else a text node). */
    record Answer(int status, JsonNode body, String raw) {

        JsonNode result() {
            return body.path("result");
        }

        String error() {
            return body.path("error").asText(null);
        }

        String description() {
            return body.path("error_description").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    final DevPki.Files pki;
    final BoxEmulator emu;
    final HttpClient http;
    /** The application's tokens (issued for user 1 at start). */
    Tokens tokens;

    private TestBox(DevPki.Files pki, BoxEmulator emu) {
        this.pki = pki;
        this.emu = emu;
        this.http = client(pki, pki.applianceClient());
        this.tokens = emu.issueTokens(1);
    }

    static DevPki.Files pki(Path dir) {
        return DevPki.ensure(dir.resolve("pki"), List.of("localhost", "127.0.0.1"));
    }

    static EmulatorTls tls(DevPki.Files pki) {
        return EmulatorTls.fromPkcs12(pki.boxServer(), pki.password(), pki.trustStore(), pki.boxClient());
    }

    /** A cloud-connected box on a free port, mutual TLS required; {@code customize} may change it. */
    static TestBox start(Path dir, Consumer<BoxEmulatorBuilder> customize) {
        DevPki.Files pki = pki(dir);
        BoxEmulatorBuilder b = BoxEmulator.builder()
                .port(0)
                .tls(tls(pki))
                .requireClientCert(true);
        customize.accept(b);
        return new TestBox(pki, b.build().start());
    }

    static TestBox start(Path dir) {
        return start(dir, b -> { });
    }

    /** A JDK client trusting the development CA and presenting {@code clientKeystore} (null: no certificate). */
    static HttpClient client(DevPki.Files pki, Path clientKeystore) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ssl(pki.trustStore(), clientKeystore, pki.password()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static SSLContext ssl(Path trustStore, Path clientKeystore, char[] password) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, password));
            KeyManagerFactory kmf = null;
            if (clientKeystore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(clientKeystore, password), password);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        }
    }

    // ---- talking to the box ----

    /** A method called with the application's access token, form-encoded. */
    Answer call(String method, Map<String, ?> params) {
        return call(method, params, tokens.accessToken());
    }

    Answer call(String method, Map<String, ?> params, String token) {
        Map<String, Object> all = new LinkedHashMap<>(params);
        if (token != null) {
            all.put("auth", token);
        }
        return postForm("/rest/" + method + ".json", FormParams.encode(all));
    }

    /** A method called through an inbound webhook. */
    Answer webhook(int userId, String secret, String method, Map<String, ?> params) {
        return postForm("/rest/" + userId + "/" + secret + "/" + method + ".json", FormParams.encode(params));
    }

    Answer postForm(String path, String form) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    Answer postJson(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    URI uri(String path) {
        return URI.create(emu.baseUrl() + path);
    }

    Answer send(HttpRequest.Builder req) {
        try {
            HttpResponse<String> res = http.send(req.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer(res.statusCode(), res.body());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    static Answer answer(int status, String body) {
        JsonNode node;
        try {
            node = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (Exception e) {
            node = JSON.getNodeFactory().textNode(body);
        }
        return new Answer(status, node == null ? JSON.createObjectNode() : node, body);
    }

    /** Parameters in order: {@code params("USER_ID", 2, "PHONE_NUMBER", "+7...")}. */
    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The box's time now as register's CALL_START_DATE wants it (ISO 8601 with the offset). */
    String isoNow(Duration shift) {
        return java.time.OffsetDateTime.ofInstant(emu.clock().instant().plus(shift), java.time.ZoneOffset.UTC)
                .withNano(0).toString();
    }

    /** Registers an incoming call for {@code userId} from {@code phone}; returns the CALL_ID. */
    String register(int userId, String phone, Object... more) {
        Map<String, Object> p = params("USER_ID", userId, "PHONE_NUMBER", phone, "TYPE", 2);
        p.putAll(params(more));
        Answer a = call("telephony.externalcall.register", p);
        if (a.status() != 200) {
            throw new AssertionError("register failed: " + a);
        }
        return a.result().path("CALL_ID").asText();
    }

    Answer finish(String callId, int userId, int duration, Object... more) {
        Map<String, Object> p = params("CALL_ID", callId, "USER_ID", userId, "DURATION", duration);
        p.putAll(params(more));
        return call("telephony.externalcall.finish", p);
    }

    @Override
    public void close() {
        emu.stop();
        http.close();
    }
}
