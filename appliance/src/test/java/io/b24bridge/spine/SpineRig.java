package io.b24bridge.spine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.certs.DevPki;
import io.b24bridge.outbox.OutboxReport;
import io.b24bridge.testkit.asterisk.AmiEndpoint;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.Scenario;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.ConnectorModule;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.bitrix.EmulatorTls;
import io.b24bridge.testkit.modulebox.ServedModuleBox;

/**
 * The whole product on real parts: the real Asterisk pair (testkit) with the product's own dialplan from
 * docs/asterisk, the box emulator over mutual TLS, and the appliance in this JVM following the PBX over AMI.
 */
final class SpineRig implements AutoCloseable {

    /**
     * The FastAGI port of the appliances these tests start (a free one, chosen once per JVM: the PBX's dialplan
     * names it, so every class sharing the pair uses the same).
     */
    static final int AGI_PORT = freePort();

    /** A Bitrix24 line with a trunk of its own at this site ({@link #SCENARIO}: its route dials 8 in front). */
    static final String TRUNK_LINE = "+74951234567";

    /**
     * The product's dialplan as shipped, and this site's part: where the appliance's FastAGI listens, the
     * context of the test PBX's ring groups, its own DID routing for DIDs the appliance does not route, and the
     * route of the Bitrix24 line {@link #TRUNK_LINE}: a carrier that wants an 8 before the number (the world sees
     * which route a call took by the number it is called at).
     */
    static final Scenario SCENARIO = Scenario.base().named("b24bridge-spine")
            .withPbxFile("b24bridge.conf", Path.of("..", "docs", "asterisk", "b24bridge.conf"))
            .withPbxFile("b24bridge-site.conf", """
                    [globals]
                    B24_AGI=agi://127.0.0.1:%d
                    B24_GROUP_CONTEXT=internal
                    B24_LINE_74951234567=line-74951234567

                    [b24bridge-site]
                    exten => _X.,1,Goto(did-routes,${EXTEN},1)

                    [line-74951234567]
                    exten => _X.,1,Goto(from-phones,8${EXTEN},1)
                    """.formatted(AGI_PORT));

    /** The DIDs of the test PBX: 4951000NNN rings NNN (101, 102), 200 the ring group, 300 the queue. */
    static final String INBOUND_ROUTES = """
            {"routes": [
              {"did": "4951000101", "name": "Direct 101", "leadSource": "DID_74951234567", "defaultResponsibleUserId": 4},
              {"did": "4951000200", "name": "Sales group", "leadSource": "DID_74957654321", "defaultResponsibleUserId": 4},
              {"did": "_4951000XXX", "name": "Other lines", "leadSource": "CALL", "defaultResponsibleUserId": 4}
            ]}""";

    final BoxEmulator emu;
    TestAppliance app;
    /** The served PHP box module (nginx + php-fpm) in front of {@link #emu}, when the rig has one. */
    final ServedModuleBox served;
    /** Where the appliance keeps its data and the configuration it starts with, for {@link #startAgain}. */
    private final Path dir;
    private final String yaml;

    private SpineRig(BoxEmulator emu, TestAppliance app) {
        this(emu, app, null, null, null);
    }

    private SpineRig(BoxEmulator emu, TestAppliance app, ServedModuleBox served) {
        this(emu, app, served, null, null);
    }

    private SpineRig(BoxEmulator emu, TestAppliance app, Path dir, String yaml) {
        this(emu, app, null, dir, yaml);
    }

    private SpineRig(BoxEmulator emu, TestAppliance app, ServedModuleBox served, Path dir, String yaml) {
        this.emu = emu;
        this.app = app;
        this.served = served;
        this.dir = dir;
        this.yaml = yaml;
    }

    /** A box with internet, the local application installed through the cloud queue. */
    static SpineRig start(Path dir, AsteriskPair pair) throws Exception {
        return start(dir, pbxSection(pair), java.time.Clock.systemUTC());
    }

    /** As {@link #start(Path, AsteriskPair)}, the appliance on a site clock the test sets. */
    static SpineRig start(Path dir, AsteriskPair pair, java.time.Clock siteClock) throws Exception {
        return start(dir, pbxSection(pair), siteClock);
    }

    /** The same, with this pbx (and agi) section. */
    static SpineRig start(Path dir, String pbxYaml) throws Exception {
        return start(dir, pbxYaml, java.time.Clock.systemUTC());
    }

    private static SpineRig start(Path dir, String pbxYaml, java.time.Clock siteClock) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        BoxEmulator emu = EmulatedBox.builder(pki).seedDemo(true).build().start();
        String yaml = EmulatedBox.applicationSection(emu) + pbxYaml;
        TestAppliance app = TestAppliance.start(dir, yaml, Map.of(), siteClock);
        SpineRig rig = new SpineRig(emu, app, dir, yaml);
        app.armInstall();
        if (!rig.emu.install(app.publicUri("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS).delivered()) {
            throw new IllegalStateException("the install event did not reach the appliance: " + rig.emu.deliveries());
        }
        // what bitrix24.application.events-url makes the appliance do after the install (the edge proxy's URL is
        // known only once the appliance runs): clicks are bound to the public events URL
        new CrmApi(app.appliance().box().client()).bindEvent("OnExternalCallStart", app.publicUri("/bitrix24/events"));
        return rig.configured();
    }

    /**
     * An air-gapped box with the b24bridge module as the emulator models it ({@code with-module}): the appliance on
     * module auth pulls the box's events from the module's queue.
     */
    static SpineRig startWithModule(Path dir, AsteriskPair pair) throws Exception {
        return startWithModule(dir, pair, java.time.Clock.systemUTC());
    }

    /** As {@link #startWithModule(Path, AsteriskPair)}, the appliance on a site clock the test sets. */
    static SpineRig startWithModule(Path dir, AsteriskPair pair, java.time.Clock siteClock) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        BoxEmulator emu = EmulatedBox.withModule(pki).seedDemo(true).build().start();
        TestAppliance app = TestAppliance.start(dir, EmulatedBox.moduleSection(emu,
                dir.resolve("secrets").resolve("module-credential")) + pbxSection(pair), Map.of(), siteClock);
        return new SpineRig(emu, app).configured();
    }

    /**
     * An air-gapped box (its OAuth server out of reach: application calls would answer CONNECTION_ERROR, no event
     * ever comes) and the appliance on an inbound webhook, which the box checks itself.
     */
    static SpineRig startAirGappedOverWebhook(Path dir, AsteriskPair pair) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        BoxEmulator emu = EmulatedBox.builder(pki).seedDemo(true).deployment(Deployment.AIR_GAPPED)
                .webhook(1, "spinewebhook", java.util.Set.of()).build().start();
        String yaml = EmulatedBox.webhookSection(emu, 1, "spinewebhook") + pbxSection(pair);
        TestAppliance app = TestAppliance.start(dir, yaml);
        return new SpineRig(emu, app, dir, yaml).configured();
    }

    /**
     * An air-gapped box with the b24bridge module, served for real: the PHP module behind Debian's nginx (mutual TLS)
     * and php-fpm on the stub box (box-module/serve), handing the box's own REST methods on to the box emulator
     * ("behind the module"); the appliance in module mode talks only to nginx. Needs php-fpm, nginx and MariaDB: an
     * {@link IOException} says what is missing, and the caller skips or fails.
     */
    static SpineRig startServedModule(Path dir, AsteriskPair pair) throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        String key = "behind-" + Long.toHexString(System.nanoTime());
        BoxEmulator emu = BoxEmulator.builder().port(0).seedDemo(true).deployment(Deployment.AIR_GAPPED)
                .application(ConnectorModule.CLIENT_ID, "held-by-the-module").behindModule(key).build().start();
        ServedModuleBox served;
        try {
            served = ServedModuleBox.start(BOX_MODULE, dir.resolve("served-box"), Duration.ofSeconds(120), Map.of(
                    "B24BRIDGE_BEHIND_URL", emu.baseUrl(), "B24BRIDGE_BEHIND_KEY", key,
                    "B24BRIDGE_APPLIANCE_CA", pki.caPem().toString(),
                    "B24BRIDGE_APPLIANCE_DN", EmulatorTls.subjectOf(pki.applianceClient(), pki.password())));
        } catch (IOException | RuntimeException e) {
            emu.stop();
            throw e;
        }
        SpineRig rig = new SpineRig(emu, null, served);
        rig.app = TestAppliance.start(dir, rig.servedModuleSection(pki, dir) + pbxSection(pair));
        return rig.configured();
    }

    static final Path BOX_MODULE = Path.of("..", "box-module").toAbsolutePath().normalize();

    /** The appliance's bitrix24 section for the served module: its nginx, its credential, its box CA trusted. */
    String servedModuleSection(DevPki.Files pki, Path dir) throws Exception {
        Path trust = dir.resolve("tls").resolve("served-box-trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(served.certs().resolve("box-ca.crt"))) {
            ks.setCertificateEntry("box-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(trust)) {
            ks.store(out, pki.password());
        }
        return """
                bitrix24:
                  url: %s
                  auth: module
                  module:
                    credential-file: %s
                  tls:
                    keystore: %%1$s
                    keystore-password-file: %%2$s
                    truststore: %s
                  connect-timeout: 2s
                  request-timeout: 10s
                """.formatted(served.applianceUrl(), served.credentialFile(), trust);
    }

    /** Starts the appliance again on the same data (after {@link TestAppliance#close()}), the same configuration. */
    void restartAppliance(Path dir, String extraYaml) {
        app = TestAppliance.start(dir, extraYaml);
    }

    /** The DIDs' routes set, the AMI link up. */
    private SpineRig configured() throws Exception {
        var res = app.put("/api/settings/inbound-routes", INBOUND_ROUTES);
        if (res.statusCode() != 200) {
            throw new IllegalStateException("routes refused: " + res.body());
        }
        awaitPbxConnected();
        return this;
    }

    /** The appliance stopped; {@link #startAgain} starts it on the same data (tokens, settings, calls kept). */
    void stopAppliance() {
        app.close();
        app = null;
    }

    void startAgain() throws InterruptedException {
        app = TestAppliance.start(dir, yaml);
        awaitPbxConnected();
    }

    /**
     * The pbx section, the PBX's own records read from its Master.csv, reconciled once after each (re)connect (and
     * every hour besides, which the tests never wait for).
     */
    static String pbxSectionWithRecords(AsteriskPair pair, int amiPort) {
        return pbxSection(pair).replace("port: " + pair.pbxAmi().port() + "\n", "port: " + amiPort + "\n")
                .replace("    ping-interval: 1s\n", "    ping-interval: 1s\n    cdr-csv: "
                        + pair.pbxPathOnHost("/var/log/asterisk-pbx/cdr-csv/Master.csv") + "\n    reconcile-every: 1h\n");
    }

    static String pbxSection(AsteriskPair pair) {
        AmiEndpoint ami = pair.pbxAmi();
        return pbxSection(ami.host(), ami.port(), ami.user(), ami.secret(), pair.recordingsDir(), AGI_PORT);
    }

    /** The pbx section for any AMI peer (the real PBX, the simulator), FastAGI on {@code agiPort} (0: any free). */
    static String pbxSection(String host, int port, String user, String secret, Path recordings, int agiPort) {
        return """
                pbx:
                  - id: pbx1
                    host: %s
                    port: %d
                    username: %s
                    secret: %s
                    recordings-dir: %s
                    recordings-pbx-dir: /var/spool/asterisk-pbx/monitor
                    reconnect-min: 200ms
                    reconnect-max: 2s
                    ping-interval: 1s
                agi:
                  host: 127.0.0.1
                  port: %d
                """.formatted(host, port, user, secret, recordings, agiPort).replace("%", "%%");
    }

    private static int freePort() {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }

    /** Replaces a settings section through the admin API (the way an administrator does). */
    void settings(String section, String json) {
        var res = app.put("/api/settings/" + section, json);
        if (res.statusCode() != 200) {
            throw new IllegalStateException(section + " refused: " + res.body());
        }
    }

    void awaitPbxConnected() throws InterruptedException {
        // after a PBX restart: Asterisk's boot and the link's backoff, on a machine that may be loaded
        await(Duration.ofSeconds(90), () -> app.get("/health").body().contains("\"pbx\":{\"state\":\"UP\""),
                "the appliance's AMI link to the PBX");
    }

    /** Waits until the model follows no call and the outbox sent everything. */
    void awaitCrmCaughtUp(Duration timeout) throws InterruptedException {
        await(timeout, () -> {
            // the model first: its last step stores the call's final commands before it lets go of the call
            if (app.appliance().engine().callsInProgress() != 0) {
                return false;
            }
            OutboxReport.Counts c = app.appliance().outbox().report().counts();
            return c.pending() + c.sending() == 0;
        }, "the calls to end and the outbox to drain");
    }

    /** The call the box registered for this client number (there must be exactly one). */
    CallView call(String clientNumber) {
        List<CallView> calls = calls(c -> clientNumber.equals(c.phoneNumber()));
        if (calls.size() != 1) {
            throw new AssertionError("expected one call from " + clientNumber + " in the box, found " + calls
                    + "; all: " + emu.state().calls().stream().map(CallView::phoneNumber).toList());
        }
        return calls.getFirst();
    }

    List<CallView> calls(Predicate<CallView> which) {
        return emu.state().calls().stream().filter(which).toList();
    }

    Optional<Integer> userOf(String extension) {
        return emu.state().users().stream().filter(u -> extension.equals(u.innerPhone())).map(u -> u.id()).findFirst();
    }

    static void await(Duration timeout, java.util.function.BooleanSupplier done, String what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // a request that timed out on a busy machine is "not yet", not the answer
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        if (served != null) {
            try {
                served.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        emu.stop();
    }
}
