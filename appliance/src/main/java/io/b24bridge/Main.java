package io.b24bridge;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import io.b24bridge.admin.HealthService;
import io.b24bridge.admin.OutboxApi;
import io.b24bridge.admin.RatingsApi;
import io.b24bridge.admin.SettingsApi;
import io.b24bridge.admin.StoreApi;
import io.b24bridge.bitrix.BitrixCrmDirectory;
import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxHealth;
import io.b24bridge.bitrix.BoxKeepAlive;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.bitrix.UserDirectory;
import io.b24bridge.calls.CallEngine;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.CrmLifecycle;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.bitrix.events.BoxEventsService;
import io.b24bridge.bitrix.events.PingService;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.health.Health;
import io.b24bridge.health.HealthPart;
import io.b24bridge.json.Json;
import io.b24bridge.logging.StopSafeLogManager;
import io.b24bridge.outbox.CommandExecutor;
import io.b24bridge.outbox.Dispatcher;
import io.b24bridge.outbox.OutboxHealth;
import io.b24bridge.outbox.OutboxStore;
import io.b24bridge.pbx.CallSpineSink;
import io.b24bridge.pbx.LinkSeenStore;
import io.b24bridge.pbx.FastAgiServer;
import io.b24bridge.pbx.PbxRegistry;
import io.b24bridge.pbx.RouteScript;
import io.b24bridge.pbx.RoutingHealth;
import io.b24bridge.routing.CrmUnavailable;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.sandbox.Sandbox;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.store.Database;
import io.b24bridge.store.DatabaseHealth;
import io.b24bridge.store.Migrations;
import io.b24bridge.store.StoreException;
import io.b24bridge.web.ServerTls;

/**
 * The appliance's entry point. {@link #start} is the whole wiring, top to bottom: each part is built from
 * the configuration and handed what it needs; {@link Appliance#stop()} takes them down in reverse order.
 */
public final class Main {

    static {
        // must come before the first Logger is made (the field below): keeps the stop's log lines (see class)
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", StopSafeLogManager.class.getName());
        }
    }

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    /** Exit status for a configuration the appliance cannot start with. */
    static final int EXIT_BAD_CONFIG = 2;
    /** Exit status for a start that failed for another reason. */
    static final int EXIT_FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status. The {@code run} command returns only after a stop. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Cli cli;
        try {
            cli = Cli.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("b24bridge: " + e.getMessage());
            err.print(Cli.USAGE);
            return EXIT_BAD_CONFIG;
        }
        try {
            return switch (cli.command()) {
                case HELP -> {
                    out.print(Cli.USAGE);
                    yield 0;
                }
                case VERSION -> {
                    out.println("b24bridge " + version());
                    yield 0;
                }
                case CHECK_CONFIG -> {
                    ApplianceConfig config = loadConfig(cli);
                    out.println("configuration OK: " + config.source());
                    yield 0;
                }
                case BACKUP -> StoreCommands.backup(loadConfig(cli), cli.to(), out);
                case RESTORE -> StoreCommands.restore(loadConfig(cli), cli.from().orElseThrow(), out);
                case DOCTOR -> io.b24bridge.doctor.Doctor.run(cli.config().orElseGet(() -> Sandbox.prepare(cli.sandbox().orElseThrow())), System.getenv(), out);
                case RUN -> runUntilStopped(loadConfig(cli), cli.sandbox().isPresent(), out);
            };
        } catch (ConfigException e) {
            err.println("b24bridge: cannot start: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (StoreException | IllegalStateException e) {
            err.println("b24bridge: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static ApplianceConfig loadConfig(Cli cli) {
        Path file = cli.config().orElseGet(() -> Sandbox.prepare(cli.sandbox().orElseThrow()));
        return ConfigLoader.load(file, System.getenv());
    }

    private static int runUntilStopped(ApplianceConfig config, boolean sandbox, PrintStream out) {
        long t0 = System.nanoTime();
        Appliance appliance = start(config);
        if (sandbox) {
            Sandbox.seedSettings(appliance.settings());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            appliance.stop();
            StopSafeLogManager.stopped();
            stopped.countDown();
        }, "b24bridge-stop"));
        Health.Report health = appliance.health().report();
        out.printf("b24bridge %s is up in %d ms, health %s%n", version(), (System.nanoTime() - t0) / 1_000_000,
                health.status());
        out.printf("  admin panel and API: %s/%n", appliance.adminUrl());
        out.printf("  health:              %s/health%n", appliance.adminUrl());
        out.printf("  metrics:             %s/metrics%n", appliance.adminUrl());
        out.printf("  box listener (mTLS): %s/ping%n", appliance.boxUrl());
        if (sandbox) {
            out.printf("  sandbox Bitrix24 box (emulator page): https://127.0.0.1:%d/%n", Sandbox.BOX_EMULATOR_PORT);
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Builds and starts every part. On failure, whatever was started is stopped again. */
    public static Appliance start(ApplianceConfig config) {
        ObjectMapper mapper = Json.newMapper();

        Database db = Database.open(config.storage().databaseDir());
        List<AutoCloseable> listening = new java.util.ArrayList<>(); // closed again when a later part fails
        try {
            Migrations.apply(db, Migrations.SCHEMA);
            SettingsStore settings = new SettingsStore(db, new SettingsJson(mapper));

            // the Bitrix24 box: client (mTLS, auth, rate limit) and the handler for its events
            Optional<BoxClient> box = config.bitrix24().map(b -> BoxClient.create(b, db,
                    config.storage().dir().resolve("keys").resolve("bitrix24-tokens.key"), mapper));
            Optional<BoxEventsService> boxEvents = box.map(client -> new BoxEventsService(client,
                    config.bitrix24().flatMap(ApplianceConfig.Bitrix24::webhook)
                            .flatMap(ApplianceConfig.Webhook::eventsToken)));

            // the call spine: PBX facts → call model → CRM lifecycle → outbox (same Derby transaction) →
            // dispatcher → box. Without a box configured the outbox keeps everything for later.
            OutboxStore outbox = new OutboxStore(db, mapper);
            Map<String, Endpoints> endpoints = new HashMap<>();
            Map<String, CommandExecutor.RecordingsDir> recordings = new HashMap<>();
            Map<String, Duration> recordWait = new HashMap<>();
            for (ApplianceConfig.Pbx p : config.pbx()) {
                endpoints.put(p.id(), new Endpoints(p.extensionPattern(), p.trunks()));
                p.recordingsDir().ifPresent(dir -> recordings.put(p.id(),
                        new CommandExecutor.RecordingsDir(dir, p.recordingsPbxDir())));
                p.cdrCsv().ifPresent(csv -> recordWait.put(p.id(), p.recordWait()));
            }
            CallEngine engine = new CallEngine(
                    new CallTracker(id -> endpoints.getOrDefault(id, Endpoints.standard())),
                    new CrmLifecycle(recordWait), outbox, settings::current);
            Optional<UserDirectory> users = box.map(client -> new UserDirectory(new CrmApi(client), Clock.systemUTC()));
            Optional<Dispatcher> dispatcher = box.map(client -> new Dispatcher(outbox,
                    new CommandExecutor(new TelephonyApi(client), new CrmApi(client), users.orElseThrow(), recordings),
                    client, 8, Clock.systemUTC()));
            dispatcher.ifPresent(d -> {
                outbox.afterRecord(d::wake);
                box.orElseThrow().onRecovery(d::boxRecovered);
                d.start();
            });
            CallSpineSink spine = new CallSpineSink(engine, new LinkSeenStore(db));
            config.pbx().forEach(p -> p.cdrCsv().ifPresent(csv -> spine.readRecords(p.id(), csv)));
            PbxRegistry pbx = PbxRegistry.of(config.pbx(), spine, Metrics.globalRegistry());

            // routing: the PBXs' dialplan asks over FastAGI where an inbound call goes; the answer never waits
            // for the box longer than the settings' deadline (then the cache or the route's defaults)
            RoutingService routing = new RoutingService(settings::current, box.<io.b24bridge.routing.CrmDirectory>map(
                    client -> new BitrixCrmDirectory(new TelephonyApi(client), new CrmApi(client), users.orElseThrow()))
                    .orElseGet(CrmUnavailable::new), Clock.systemUTC());
            listening.add(routing);
            Optional<FastAgiServer> agi = Optional.empty();
            if (!config.pbx().isEmpty() && config.agi().enabled()) {
                try {
                    agi = Optional.of(new FastAgiServer(config.agi().host(), config.agi().port(),
                            Map.of("route", new RouteScript(routing, () -> settings.current().routing()))).start());
                    listening.add(agi.get());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e.getMessage() + ": set agi.port (0 turns routing off)", e);
                }
                settings.onChange(s -> routing.warmUp());
                routing.warmUp();
            }
            Optional<FastAgiServer> agiServer = agi;

            Health health = new Health(List.of(
                    new DatabaseHealth(db),
                    pbx.health(),
                    box.<HealthPart>map(client -> new BoxHealth(client, config.bitrix24().orElseThrow().url().toString()))
                            .orElse(HealthPart.notConfigured("bitrix24", "no Bitrix24 box is configured "
                                    + "(the bitrix24 section of the configuration file)")),
                    dispatcher.<HealthPart>map(d -> new OutboxHealth(outbox, d))
                            .orElse(HealthPart.notConfigured("outbox", "calls are kept until a Bitrix24 box is "
                                    + "configured")),
                    agiServer.<HealthPart>map(a -> new RoutingHealth(a, routing))
                            .orElse(HealthPart.notConfigured("routing", "no FastAGI listener: no PBX is configured, "
                                    + "or agi.port is 0"))),
                    version());

            WebServer server = WebServer.builder()
                    .shutdownHook(false) // our own hook stops the parts in order
                    // the admin listener: panel, JSON API, health and metrics; loopback unless configured
                    .host(config.adminListener().host())
                    .port(config.adminListener().port())
                    .tls(ServerTls.of(config.adminListener()))
                    .shutdownGracePeriod(config.shutdownGrace())
                    .addFeature(ObserveFeature.builder()
                            .endpoint("/")
                            .observersDiscoverServices(false)
                            .addObserver(MetricsObserver.create())
                            .build())
                    .routing(r -> r
                            .register("/health", new HealthService(health, mapper))
                            .register("/api/settings", new SettingsApi(settings, mapper))
                            .register("/api/store", new StoreApi(db,
                                    config.storage().dir().resolve("backups").toAbsolutePath(), mapper))
                            .register("/api/outbox", new OutboxApi(outbox, dispatcher.orElse(null), mapper))
                            .register("/api/ratings", new RatingsApi(outbox, Clock.systemUTC(), mapper)))
                    // the box listener: mutual TLS, for the Bitrix24 box's calls into the appliance
                    .putSocket(Appliance.BOX_SOCKET, listener -> listener
                            .host(config.boxListener().host())
                            .port(config.boxListener().port())
                            .tls(ServerTls.of(config.boxListener()))
                            .shutdownGracePeriod(config.shutdownGrace()))
                    .routing(Appliance.BOX_SOCKET, r -> {
                        r.register("/", new PingService(mapper));
                        boxEvents.ifPresent(events -> r.register("/bitrix24/events", events));
                    })
                    .build()
                    .start();
            Optional<BoxKeepAlive> keepAlive = box.map(client ->
                    new BoxKeepAlive(client, config.bitrix24().orElseThrow().auth()));
            pbx.start(); // last: calls flow in once everything downstream is ready
            LOG.info(() -> "b24bridge " + version() + " started; admin port " + server.port()
                    + ", box port " + server.port(Appliance.BOX_SOCKET));
            return new Appliance(config, db, settings, health, server, box, boxEvents, keepAlive, pbx, spine,
                    engine, outbox, dispatcher, routing, agiServer);
        } catch (RuntimeException e) {
            for (AutoCloseable part : listening) {
                try {
                    part.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            db.close();
            throw e;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Where a client on this machine reaches a listener bound to {@code host}. */
    static String localUrl(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "https://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

}
