package io.b24bridge.bitrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import io.b24bridge.TestTls;
import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

/**
 * A MockWebServer standing in for the box over real mutual TLS (it demands the appliance's client
 * certificate), and a {@link BoxClient} pointed at it: for pinning the exact HTTP the client sends.
 */
final class MockBox implements AutoCloseable {

    final MockWebServer server = new MockWebServer();
    final DevPki.Files pki;
    final Database db;
    final BoxClient client;
    final ApplianceConfig.Bitrix24 config;

    private MockBox(Path dir, ApplianceConfig.AuthMode mode, Duration requestTimeout, List<String> serverNames) {
        this(dir, mode, requestTimeout, serverNames, 1000, 1000);
    }

    private MockBox(Path dir, ApplianceConfig.AuthMode mode, Duration requestTimeout, List<String> serverNames,
                    double perSecond, int burst) {
        pki = DevPki.ensure(dir.resolve("tls"), serverNames);
        server.useHttps(TestTls.context(pki.trustStore(), pki.boxServer(), pki.password()).getSocketFactory());
        server.requireClientAuth();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI url = URI.create("https://localhost:" + server.getPort());
        Secret password = Secret.of(pki.password());
        config = new ApplianceConfig.Bitrix24(url, mode,
                Optional.of(new ApplianceConfig.Application("local.test.1", Secret.of("client-secret-42"),
                        Optional.of(url.resolve("/oauth/token/")))),
                Optional.of(new ApplianceConfig.Webhook(1, Secret.of("s3cr3t"), Optional.empty())),
                new ApplianceConfig.Tls(pki.applianceClient(), password, Optional.empty(),
                        Optional.of(pki.trustStore()), Optional.of(password)),
                Duration.ofSeconds(2), requestTimeout, perSecond, burst);
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        client = BoxClient.create(config, db, dir.resolve("keys/token.key"), Json.newMapper());
    }

    static MockBox application(Path dir) {
        MockBox box = new MockBox(dir, ApplianceConfig.AuthMode.APPLICATION, Duration.ofSeconds(5),
                List.of("localhost", "127.0.0.1"));
        box.client.installed(new Tokens(Secret.of("ACCESS1"), Secret.of("REFRESH1"), Instant.now().plusSeconds(3600),
                Secret.of("APPTOKEN"), "member1", "crm.corp.local", "https://oauth.bitrix.info/rest/",
                "https://crm.corp.local/rest/", "install"));
        return box;
    }

    /** A webhook box the client paces at {@code perSecond} with bursts of {@code burst}. */
    static MockBox webhookAtRate(Path dir, double perSecond, int burst) {
        return new MockBox(dir, ApplianceConfig.AuthMode.WEBHOOK, Duration.ofSeconds(5), List.of("localhost"),
                perSecond, burst);
    }

    static MockBox webhook(Path dir) {
        return new MockBox(dir, ApplianceConfig.AuthMode.WEBHOOK, Duration.ofSeconds(5), List.of("localhost"));
    }

    static MockBox withTimeout(Path dir, Duration requestTimeout) {
        MockBox box = new MockBox(dir, ApplianceConfig.AuthMode.WEBHOOK, requestTimeout, List.of("localhost"));
        return box;
    }

    /** A box whose server certificate does not name "localhost". */
    static MockBox withCertificateFor(Path dir, String name) {
        return new MockBox(dir, ApplianceConfig.AuthMode.WEBHOOK, Duration.ofSeconds(5), List.of(name));
    }

    void answer(int code, String json) {
        server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body(json).build());
    }

    void answer(String json) {
        answer(200, json);
    }

    RecordedRequest request() {
        try {
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("the client sent no request");
            }
            return r;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(RecordedRequest r) {
        return r.getBody() == null ? "" : r.getBody().utf8();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        db.close();
    }
}
