package io.b24bridge.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.ApplianceProcess;
import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.BoxEmulatorBuilder;
import io.b24bridge.testkit.bitrix.EdgeProxy;
import io.b24bridge.testkit.FreePorts;
import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.PbxSimulator;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;

/**
 * The product under load as an operator runs it: the appliance in its own JVM (the {@code b24bridge run} command
 * line, JVM options of the test's choosing, SIGKILL and restart), the PBX simulator replaying recorded Asterisk 22
 * calls to it over AMI (with the recordings and Master.csv it writes beside them), and the box emulator over mutual
 * TLS, where the CRM state is read. The application is installed through an edge proxy, as a connected box's cloud
 * queue reaches it; every DID routes to the demo's responsible 4.
 */
public final class LoadRig implements AutoCloseable {

    /** The DIDs of the bundled recordings (4951000101/102/200/300, 4951234567), all to the same route. */
    static final String ROUTES = """
            {"routes": [{"did": "_495XXXXXXX", "name": "All lines", "leadSource": "CALL", "defaultResponsibleUserId": 4}]}""";
    /** The client numbers the load gives its calls: 7999 and the call's number. */
    static final String CLIENT_PREFIX = "7999";

    private final Path dir;
    private final Path storage;
    private final DevPki.Files pki;
    private final BoxEmulator emu;
    private final PbxSimulator sim;
    private final Path config;
    private Map<String, String> env;
    private final Map<String, String> baseEnv;
    private final List<String> jvmOptions;
    private final HttpClient admin;
    private final ObjectMapper json = new ObjectMapper();
    private final int adminPort;
    private final int agiPort;
    private final List<String> earlierRuns = new ArrayList<>();
    private ApplianceProcess appliance;
    private EdgeProxy edge;

    private LoadRig(Path dir, Path storage, DevPki.Files pki, BoxEmulator emu, PbxSimulator sim, Path config,
                    Map<String, String> env, List<String> jvmOptions, int adminPort, int agiPort) {
        this.dir = dir;
        this.storage = storage;
        this.pki = pki;
        this.emu = emu;
        this.sim = sim;
        this.config = config;
        this.env = env;
        this.baseEnv = env;
        this.jvmOptions = jvmOptions;
        this.adminPort = adminPort;
        this.agiPort = agiPort;
        this.admin = HttpClient.newBuilder().sslContext(TestTls.context(pki.trustStore(), null, pki.password()))
                // generous: on a machine shared with other builds (load average 25-30) the appliance took longer than
                // 5 s to accept, and the bench's part failed instead of measuring slowly
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /**
     * Starts the emulator, the simulator and the appliance (its data under {@code storage}, its JVM with
     * {@code jvmOptions}), installs the application and sets the routes; returns once the AMI link is up.
     */
    public static LoadRig start(Path dir, Path storage, List<String> jvmOptions, Consumer<BoxEmulatorBuilder> box)
            throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        BoxEmulatorBuilder b = EmulatedBox.builder(pki).seedDemo(true).requestLogSize(1000);
        box.accept(b);
        BoxEmulator emu = b.build().start();
        PbxSimulator sim = PbxSimulator.start("b24bridge", "load-secret");
        Path recordings = Files.createDirectories(dir.resolve("pbx-monitor"));
        Path masterCsv = dir.resolve("pbx-cdr-csv").resolve("Master.csv");
        Files.createDirectories(masterCsv.getParent());
        sim.recordings(recordings, "/var/spool/asterisk-pbx/monitor", 8192).masterCsv(masterCsv);
        int agiPort = freePort();
        Path config = TestAppliance.writeConfig(dir, pki);
        String yaml = Files.readString(config).replace("  dir: data", "  dir: " + storage.toAbsolutePath())
                + EmulatedBox.applicationSection(emu).formatted(pki.applianceClient(), pki.passwordFile(),
                pki.trustStore()) + """
                pbx:
                  - id: pbx1
                    host: 127.0.0.1
                    port: %d
                    username: b24bridge
                    secret: load-secret
                    recordings-dir: %s
                    recordings-pbx-dir: /var/spool/asterisk-pbx/monitor
                    cdr-csv: %s
                    reconnect-min: 200ms
                    reconnect-max: 2s
                    ping-interval: 2s
                agi:
                  host: 127.0.0.1
                  port: %d
                """.formatted(sim.port(), recordings, masterCsv, agiPort);
        Files.writeString(config, yaml);
        int adminPort = freePort();
        Map<String, String> env = Map.of("B24BRIDGE_LISTENERS_BOX_PORT", String.valueOf(freePort()),
                "B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(adminPort));
        LoadRig rig = new LoadRig(dir, storage, pki, emu, sim, config, env, jvmOptions, adminPort, agiPort);
        try {
            rig.createAdmin();
            rig.startAppliance();
            // the install event is taken only while an administrator has armed it (the install gate)
            rig.send("POST", "/api/bitrix24/install", "{\"minutes\": 15, \"replace\": true}");
            rig.edge = EmulatedBox.edgeProxy(pki, URI.create("https://127.0.0.1:"
                    + env.get("B24BRIDGE_LISTENERS_BOX_PORT")));
            // on a busy machine the box's one delivery may time out while the new JVM warms up: the administrator
            // installs again, as on a real box
            boolean installed = false;
            for (int attempt = 0; attempt < 3 && !installed; attempt++) {
                installed = emu.install(rig.edge.url("/bitrix24/events")).delivery().get(60, TimeUnit.SECONDS)
                        .delivered();
            }
            if (!installed) {
                throw new IllegalStateException("the install did not reach the appliance: " + emu.deliveries());
            }
            rig.put("/api/settings/inbound-routes", ROUTES);
            rig.awaitPbxUp(Duration.ofSeconds(60));
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    /** Starts the appliance's JVM; returns once it printed that it is up (the time it took) and is signed in to. */
    public Duration startAppliance() throws IOException, InterruptedException {
        appliance = ApplianceProcess.start(jvmOptions, env, "--config", config.toString());
        long t0 = System.nanoTime();
        appliance.awaitLine("is up in", Duration.ofSeconds(120));
        Duration up = Duration.ofNanos(System.nanoTime() - t0);
        signIn();
        return up;
    }

    private static final String ADMIN = "loadrig";
    private final String adminPassword = "load-rig-" + java.util.UUID.randomUUID();
    private String cookie;
    private String csrf;

    /** The administrator the rig signs in as: {@code b24bridge admin create}, the appliance stopped. */
    private void createAdmin() throws IOException, InterruptedException {
        Path password = dir.resolve("admin.password");
        Files.writeString(password, adminPassword + "\n");
        try (ApplianceProcess create = ApplianceProcess.start(env, "admin", "create", "--config", config.toString(),
                "--name", ADMIN, "--password-file", password.toString())) {
            int rc = create.waitFor(Duration.ofSeconds(120));
            if (rc != 0) {
                throw new IllegalStateException("admin create failed (" + rc + "): " + create.output());
            }
        }
    }

    /** A panel session (cookie and CSRF token), as the administrator's browser holds one. */
    private void signIn() {
        HttpResponse<String> res = send(HttpRequest.newBuilder(uri("/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"" + ADMIN + "\", \"password\": \"" + adminPassword + "\"}")));
        if (res.statusCode() != 200) {
            throw new IllegalStateException("sign-in refused: " + res.statusCode() + " " + res.body());
        }
        cookie = res.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
        try {
            csrf = json.readTree(res.body()).path("csrfToken").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no warning, nothing flushed. */
    public void killAppliance() throws InterruptedException {
        appliance.kill();
        earlierRuns.add(appliance.output());
        appliance = null; // its lines are the earlier run's now, not printed twice by output()
    }

    /**
     * Stops the appliance (SIGTERM) and starts it again with these environment overrides on top of the rig's own
     * (e.g. {@code B24BRIDGE_BITRIX24_RATE__LIMIT_PER__SECOND}); an empty map goes back to the rig's own.
     */
    public void restartWith(Map<String, String> overrides) throws IOException, InterruptedException {
        stopAppliance();
        Map<String, String> merged = new java.util.HashMap<>(baseEnv);
        merged.putAll(overrides);
        env = Map.copyOf(merged);
        startAppliance();
        awaitPbxUp(Duration.ofSeconds(60));
    }

    /** SIGTERM, as systemd stops it. */
    public void stopAppliance() throws InterruptedException {
        appliance.terminate(Duration.ofSeconds(60));
        earlierRuns.add(appliance.output());
        appliance = null;
    }

    public ApplianceProcess appliance() {
        return appliance;
    }

    public BoxEmulator emu() {
        return emu;
    }

    public PbxSimulator sim() {
        return sim;
    }

    public int agiPort() {
        return agiPort;
    }

    public Path dir() {
        return dir;
    }

    /** The PBX simulator's Master.csv (cdr_csv's file: the reconciliation reads it). */
    public Path masterCsv() {
        return dir.resolve("pbx-cdr-csv").resolve("Master.csv");
    }

    /** The appliance's database (read by a test only while the appliance is not running). */
    public Path databaseDir() {
        return storage.resolve("db");
    }

    public DevPki.Files pki() {
        return pki;
    }

    /**
     * Places {@code calls} calls of {@code mix} at {@code rate} a second, each with its own client number,
     * each call's events spread over {@code spread} (as long as a short real call rings and talks).
     */
    public Replay place(Mix mix, int calls, double rate, Duration spread, ReplayOptions.Listener listener) {
        return place(mix, calls, rate, spread, o -> o.onSent(listener));
    }

    /** The same, with more replay options (garbage on the wire, a cap on calls in progress). */
    public Replay place(Mix mix, int calls, double rate, Duration spread, UnaryOperator<ReplayOptions> more) {
        int offset = placedSoFar;
        placedSoFar += calls;
        return sim.replay(mix, more.apply(ReplayOptions.of(calls, rate).spreadOver(spread).stamped()
                .replacing(Mix.RECORDED_CLIENT, n -> clientNumber(offset + n))));
    }

    private int placedSoFar;

    /** The client number of the load's call {@code n} (over every placement of this rig). */
    static String clientNumber(int n) {
        return CLIENT_PREFIX + String.format("%07d", n % 10_000_000);
    }

    // ---- the appliance's admin API ----

    public JsonNode health() {
        return getJson("/health");
    }

    /** Commands waiting in the outbox (pending and being sent), from /health. */
    public long outboxWaiting() {
        return health().path("parts").path("outbox").path("facts").path("waiting").asLong(-1);
    }

    public JsonNode getJson(String path) {
        try {
            return json.readTree(send(HttpRequest.newBuilder(uri(path)).GET()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> put(String path, String body) {
        return send("PUT", path, body);
    }

    /** A change through the admin API, with the session's CSRF token. */
    public HttpResponse<String> send(String method, String path, String body) {
        HttpResponse<String> res = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("X-CSRF-Token", csrf).method(method, HttpRequest.BodyPublishers.ofString(body)));
        if (res.statusCode() != 200) {
            throw new IllegalStateException(path + " refused: " + res.statusCode() + " " + res.body());
        }
        return res;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        try {
            return admin.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + adminPort + path);
    }

    public void awaitPbxUp(Duration timeout) throws InterruptedException {
        await(timeout, () -> {
            try {
                return "UP".equals(health().path("parts").path("pbx").path("state").asText());
            } catch (RuntimeException e) {
                return false;
            }
        }, "the appliance's AMI link to the simulator");
    }

    /** Waits until {@code done}, checking every 100 ms; fails with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** What the appliance printed in this run and the ones before (killed or stopped). */
    public String output() {
        List<String> all = new ArrayList<>(earlierRuns);
        if (appliance != null) {
            all.add(appliance.output());
        }
        return String.join("\n--- next run ---\n", all);
    }

    /** A port the appliance's JVM binds later: below the ephemeral range (see {@link FreePorts}). */
    static int freePort() {
        return FreePorts.pick();
    }

    @Override
    public void close() {
        if (appliance != null) {
            try {
                appliance.terminate(Duration.ofSeconds(30));
            } catch (InterruptedException | AssertionError e) {
                appliance.close();
            }
        }
        if (edge != null) {
            edge.close();
        }
        sim.close();
        emu.stop();
        admin.close();
    }
}
