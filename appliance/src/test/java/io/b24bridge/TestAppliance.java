package io.b24bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.b24bridge.access.Accounts;
import io.b24bridge.access.Role;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.testkit.bitrix.EdgeProxy;

/**
 * An appliance started in this JVM for a test: development certificates, a real Derby database and real
 * HTTPS listeners on free ports, all under one temporary folder; plus an HTTPS client for its admin API, signed in
 * with an API token of the administrator {@link #ADMIN} (made at the start, unless it exists from an earlier start
 * of the same folder); {@link #anonymous} sends without one.
 */
public final class TestAppliance implements AutoCloseable {

    public static final String ADMIN = "test-admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private final Path dir;
    private final DevPki.Files pki;
    private final Appliance appliance;
    private final HttpClient admin;
    private final String token;
    private EdgeProxy edge;

    private TestAppliance(Path dir, DevPki.Files pki, Appliance appliance) {
        this.dir = dir;
        this.pki = pki;
        this.appliance = appliance;
        this.admin = HttpClient.newBuilder()
                .sslContext(TestTls.context(pki.trustStore(), null, pki.password()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Accounts accounts = appliance.access().accounts();
        if (accounts.find(ADMIN).isEmpty()) {
            accounts.create(ADMIN, Role.ADMIN, ADMIN_PASSWORD.toCharArray());
        }
        this.token = appliance.access().tokens().issue(ADMIN, "tests").secret();
    }

    /** Starts an appliance whose data and certificates live under {@code dir}. */
    public static TestAppliance start(Path dir) {
        return start(dir, "");
    }

    /** Starts an appliance with extra configuration sections (YAML, appended to the file). */
    public static TestAppliance start(Path dir, String extraYaml) {
        return start(dir, extraYaml, Map.of());
    }

    /** As {@link #start(Path, String)}, with configuration overrides as environment variables (B24BRIDGE_…). */
    public static TestAppliance start(Path dir, String extraYaml, Map<String, String> environment) {
        return start(dir, extraYaml, environment, java.time.Clock.systemUTC());
    }

    /** As {@link #start(Path, String, Map)}, on a site clock the test sets (callbacks' working hours read it). */
    public static TestAppliance start(Path dir, String extraYaml, Map<String, String> environment,
                                      java.time.Clock siteClock) {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        Path config = writeConfig(dir, pki);
        try {
            Files.writeString(config, Files.readString(config) + extraYaml.formatted(pki.applianceClient(),
                    pki.passwordFile(), pki.trustStore()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestAppliance(dir, pki, Main.start(ConfigLoader.load(config, environment), siteClock));
    }

    /**
     * A bitrix24 section for {@link #start(Path, String)}: the box at {@code url}, application auth, the
     * development client certificate. {@code %1$s}…{@code %3$s} are filled with the PKI files.
     */
    public static String bitrix24Section(String url) {
        return """
                bitrix24:
                  url: %s
                  auth: application
                  application:
                    client-id: local.b24bridge.test
                    client-secret: test-client-secret
                  tls:
                    keystore: %%1$s
                    keystore-password-file: %%2$s
                    truststore: %%3$s
                  connect-timeout: 1s
                  request-timeout: 3s
                """.formatted(url);
    }

    /** A configuration file for {@code dir}: both listeners on free loopback ports. */
    public static Path writeConfig(Path dir, DevPki.Files pki) {
        Path config = dir.resolve("b24bridge.yaml");
        try {
            Files.writeString(config, """
                    storage:
                      dir: data
                    listeners:
                      box:
                        host: 127.0.0.1
                        port: 0
                        keystore: %1$s
                        keystore-password-file: %2$s
                        truststore: %3$s
                      admin:
                        host: 127.0.0.1
                        port: 0
                        keystore: %1$s
                        keystore-password-file: %2$s
                    shutdown:
                      grace: 2s
                    """.formatted(pki.applianceServer(), pki.passwordFile(), pki.trustStore()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    public Appliance appliance() {
        return appliance;
    }

    public ApplianceConfig config() {
        return appliance.config();
    }

    public DevPki.Files pki() {
        return pki;
    }

    public Path dir() {
        return dir;
    }

    public HttpResponse<String> get(String path) {
        return send(signedIn(HttpRequest.newBuilder(adminUri(path)).GET()));
    }

    public HttpResponse<String> put(String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(adminUri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(signedIn(b));
    }

    public HttpResponse<String> post(String path, String json) {
        return send(signedIn(HttpRequest.newBuilder(adminUri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    /** A request as given (no credential added): for what strangers and other accounts may do. */
    public HttpResponse<String> anonymous(HttpRequest.Builder request) {
        return send(request);
    }

    /**
     * Arms installation (as an administrator does before installing the application in Bitrix24): the next install
     * event that the box vouches for is taken, whatever box it is (each test's emulator is a new box).
     */
    public void armInstall() {
        appliance.box().installGate().orElseThrow().arm(Duration.ofMinutes(5), true, "test");
    }

    /** The administrator's API token, for requests a test builds itself. */
    public String token() {
        return token;
    }

    /** {@code Authorization: Bearer …} of the administrator's token. */
    public String authorization() {
        return "Authorization: Bearer " + token;
    }

    private HttpRequest.Builder signedIn(HttpRequest.Builder b) {
        return b.header("Authorization", "Bearer " + token);
    }

    public URI adminUri(String path) {
        return URI.create(appliance.adminUrl() + path);
    }

    public URI boxUri(String path) {
        return URI.create(appliance.boxUrl() + path);
    }

    /**
     * Where Bitrix's cloud queue POSTs {@code path} of the box listener: an edge proxy (testkit) in front of it,
     * which takes HTTPS without a client certificate — all the queue can send — and forwards it presenting the
     * development box-client certificate, as a site's edge nginx does. Started on first use.
     */
    public synchronized String publicUri(String path) {
        if (edge == null) {
            edge = EmulatedBox.edgeProxy(pki, URI.create(appliance.boxUrl()));
        }
        return edge.url(path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return admin.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
        appliance.stop();
        synchronized (this) {
            if (edge != null) {
                edge.close();
            }
        }
    }
}
