package io.b24bridge;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import io.b24bridge.access.Access;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Identity;
import io.b24bridge.admin.AccountsApi;
import io.b24bridge.admin.AdminGuard;
import io.b24bridge.admin.AuditApi;
import io.b24bridge.admin.BoxListsApi;
import io.b24bridge.admin.CallsApi;
import io.b24bridge.admin.HealthService;
import io.b24bridge.admin.InstallApi;
import io.b24bridge.admin.JobsApi;
import io.b24bridge.admin.OutboxApi;
import io.b24bridge.admin.RatingsApi;
import io.b24bridge.admin.RecordingsApi;
import io.b24bridge.admin.SessionApi;
import io.b24bridge.admin.SettingsApi;
import io.b24bridge.admin.SettingsVersionsApi;
import io.b24bridge.admin.SetupApi;
import io.b24bridge.admin.StoreApi;
import io.b24bridge.bitrix.BoxLists;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.ExternalLines;
import io.b24bridge.bitrix.LeadSourceCheck;
import io.b24bridge.bitrix.OutgoingLinesCheck;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.bitrix.events.PingService;
import io.b24bridge.callback.BoxCallbackCrm;
import io.b24bridge.callback.CallbackAttempts;
import io.b24bridge.callback.CallbackDialer;
import io.b24bridge.callback.CallbackHealth;
import io.b24bridge.callback.Callbacks;
import io.b24bridge.click.ClickCalls;
import io.b24bridge.click.ClickDialer;
import io.b24bridge.click.ClickHealth;
import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.crm.CallEngine;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.crm.JournalHealth;
import io.b24bridge.doctor.Doctor;
import io.b24bridge.health.Health;
import io.b24bridge.health.HealthPart;
import io.b24bridge.jobs.Housekeeping;
import io.b24bridge.jobs.Jobs;
import io.b24bridge.jobs.ScheduledJob;
import io.b24bridge.tls.CertificateExpiry;
import io.b24bridge.json.Json;
import io.b24bridge.logging.StopSafeLogManager;
import io.b24bridge.outbox.Dispatcher;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.outbox.OutboxSender;
import io.b24bridge.outbox.RecordingsDir;
import io.b24bridge.pbx.CallSpineSink;
import io.b24bridge.pbx.FastAgiServer;
import io.b24bridge.pbx.LinkSeenStore;
import io.b24bridge.pbx.PbxRegistry;
import io.b24bridge.pbx.Reconciliation;
import io.b24bridge.pbx.RouteScript;
import io.b24bridge.pbx.RoutingHealth;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.sandbox.Sandbox;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.tasks.MissedCallTasks;
import io.b24bridge.store.Database;
import io.b24bridge.store.DatabaseHealth;
import io.b24bridge.store.Migrations;
import io.b24bridge.store.StoreException;
import io.b24bridge.web.PanelFiles;
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
    /**
     * The largest request body the admin listener reads (a settings document is a few kB; 4 MiB leaves room for
     * thousands of routes). Enforced by the server itself, whatever the framing: a chunked body is cut off there too.
     */
    static final long ADMIN_MAX_PAYLOAD = 4L * 1024 * 1024;
    /** The largest request body the box listener reads: an event form is a few kB. */
    static final long BOX_MAX_PAYLOAD = io.b24bridge.bitrix.events.BoxEventsService.MAX_BODY;
    /** Connections a listener holds at once: far above what operators and the box need, below what exhausts it. */
    static final int MAX_CONNECTIONS = 512;

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
            err.print(Cli.usage(Optional.empty()));
            return EXIT_BAD_CONFIG;
        }
        try {
            return switch (cli.command()) {
                case HELP -> {
                    out.print(Cli.usage(cli.helpFor()));
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
                case ADMIN -> AdminCommands.run(loadConfig(cli), cli.admin().orElseThrow(), System.in, out);
                case DOCTOR -> Doctor.run(cli.config().orElseGet(() -> Sandbox.prepare(cli.sandbox().orElseThrow())),
                        System.getenv(), out);
                case RUN -> runUntilStopped(loadConfig(cli), cli.sandbox(), out);
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

    private static int runUntilStopped(ApplianceConfig config, Optional<Path> sandboxDir, PrintStream out) {
        long t0 = System.nanoTime();
        Appliance appliance = start(config);
        boolean sandbox = sandboxDir.isPresent();
        List<String> sandboxAdmin = List.of();
        if (sandbox) {
            Sandbox.seedSettings(appliance.settings());
            sandboxAdmin = Sandbox.seedAdmin(appliance.access(), sandboxDir.get());
            // the sandbox's emulator installs the application as soon as the appliance is up, and each sandbox
            // start is a new box: armed here, for the sandbox only (a real installation is armed by its admin)
            appliance.box().installGate().ifPresent(g -> g.arm(Duration.ofMinutes(10), true, "sandbox"));
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
        out.printf("  control panel + API: %s/  (open it in a browser)%n", appliance.adminUrl());
        out.printf("  health:              %s/health%n", appliance.adminUrl());
        out.printf("  metrics:             %s/metrics%n", appliance.adminUrl());
        out.printf("  box listener (mTLS): %s/ping%n", appliance.boxUrl());
        if (sandbox) {
            out.printf("  sandbox Bitrix24 box (emulator page): https://127.0.0.1:%d/%n", Sandbox.BOX_EMULATOR_PORT);
            sandboxAdmin.forEach(out::println);
        } else if (appliance.access().firstRun().needed()) {
            out.printf("  first run: no administrator yet — on this machine: b24bridge admin create --config %s "
                    + "--name admin%n  (or open %s/ in a browser and give the one-time token in %s)%n", config.source(),
                    appliance.adminUrl(),
                    config.storage().dir().resolve("keys").resolve("setup-token"));
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Builds and starts every part, step by step, each handed what it needs: the store, the box, the outbox
     * and its sender, the call spine, routing, the web listeners, the PBX links last (calls flow in once
     * everything downstream is ready). {@link Appliance#stop()} stops them in reverse; a start that fails stops
     * what it had started.
     */
    public static Appliance start(ApplianceConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * As {@link #start(ApplianceConfig)}, with the site's wall clock given: what callbacks judge working hours and
     * holidays by (tests set the day and the hour instead of waiting for them).
     */
    public static Appliance start(ApplianceConfig config, Clock siteClock) {
        ObjectMapper mapper = Json.newMapper();
        Parts parts = new Parts();
        try {
            Database db = parts.push("database", openStore(config));
            // who may use the admin listener: accounts, tokens, sessions, the audit log, the local tools' credential
            Access access = Access.open(db, config.storage().dir().resolve("keys"), mapper, Clock.systemUTC());
            access.firstRun().prepare("b24bridge admin create --config " + config.source() + " --name admin");
            SettingsStore settings = new SettingsStore(db, new SettingsJson(mapper));
            Box box = parts.push("bitrix24 client", Box.of(config, db, mapper, d -> access.audit().record("bitrix24",
                    Identity.Via.NONE, null, "bitrix24.install", d.memberId(), d.taken() ? AuditLog.Outcome.OK
                            : AuditLog.Outcome.REFUSED, Map.of("reason", d.reason(), "domain", d.domain()))));

            // the call spine: PBX facts → call model → CRM lifecycle → outbox (same Derby transaction) →
            // sender → box. Without a box configured the outbox keeps everything for later.
            Outbox outbox = Outbox.open(db, mapper);
            OutboxSender sender = parts.push("outbox sender", startSender(config, box, outbox, db, settings));
            CallEngine engine = new CallEngine(new CallTracker(endpoints(config)), new CrmLifecycle(recordWait(config)),
                    outbox.journal(), settings::current);
            CallSpineSink spine = parts.push("call spine", new CallSpineSink(engine, new LinkSeenStore(db)));
            List<Reconciliation> reconciliations = config.pbx().stream().filter(ApplianceConfig.Pbx::readsRecords)
                    .map(spine::readRecords).toList();

            // routing: the PBXs' dialplan asks over FastAGI where an inbound call goes; the answer never waits
            // for the box longer than the settings' deadline (then the cache or the route's defaults)
            RoutingService routing = parts.push("routing", new RoutingService(settings::current, box.crmDirectory()));
            HealthPart routingHealth = startAgi(config, routing, settings, parts);

            // the lead sources the routes name must exist on the box (else its leads get CALL): checked at start
            // and whenever the settings change
            HealthPart leadSources = HealthPart.notConfigured("leadSources", "no Bitrix24 box is configured");
            HealthPart lines = HealthPart.notConfigured("externalLines", "no Bitrix24 box is configured");
            HealthPart outgoing = HealthPart.notConfigured("outgoingLines", "no Bitrix24 box is configured");
            LeadSourceCheck leadSourceCheck = null;
            ExternalLines externalLines = null;
            OutgoingLinesCheck outgoingLines = null;
            if (box.configured()) {
                leadSourceCheck = parts.push("lead source check", new LeadSourceCheck(new CrmApi(box.client()),
                        settings::current));
                leadSources = leadSourceCheck;
                // one Bitrix24 external line per routed DID, kept in step with the routes
                externalLines = parts.push("external lines", new ExternalLines(new TelephonyApi(box.client()),
                        settings::current));
                lines = externalLines;
                // whose clicks reach us: the box sends a click only to the owner of the user's outgoing line
                outgoingLines = parts.push("outgoing lines check", new OutgoingLinesCheck(
                        new TelephonyApi(box.client()), new CrmApi(box.client())));
                outgoing = outgoingLines;
            }

            PbxRegistry pbx = PbxRegistry.of(config.pbx(), spine, Metrics.globalRegistry());
            // scheduled work (Quartz, its store in the same Derby): started before the PBX links, whose every
            // (re)connect asks for a reconciliation
            CertificateExpiry certificates = new CertificateExpiry(CertificateExpiry.of(config), Clock.systemUTC());
            LOG.info(() -> "certificates: " + certificates.refresh());
            Jobs jobs = parts.push("jobs", Jobs.start(db,
                    scheduledJobs(config, db, box, reconciliations, certificates), Clock.systemUTC(),
                    config.shutdownGrace()));
            for (Reconciliation r : reconciliations) {
                r.whenCallsSettle(delay -> jobs.runSoon(reconcileJob(r.pbx()), delay)); // not 10 minutes later
            }
            spine.onConnected(id -> {
                if (jobs.has(reconcileJob(id))) {
                    jobs.runSoon(reconcileJob(id), Reconciliation.SETTLE); // calls that ended while it was away
                }
            });
            HealthPart clicks = startClicks(config, box, db, settings, pbx);
            HealthPart callbacks = startCallbacks(config, box, db, settings, pbx, siteClock, parts);
            Health health = new Health(List.of(new DatabaseHealth(db), new JournalHealth(engine), pbx.health(),
                    box.health(), box.eventsHealth(), sender.health(), routingHealth, leadSources, lines, outgoing,
                    clicks, jobs.health(), certificates, callbacks), version());
            // the box's events: handled from the inbox before anything can POST one (the install must be in place
            // before the next event is checked); through the module, pulled from its queue
            parts.push("bitrix24 events", box.startEvents());
            // the box's lead sources and users, for the panel's pickers
            Optional<BoxLists> boxLists = box.configured()
                    ? Optional.of(BoxLists.of(new CrmApi(box.client()), Clock.systemUTC())) : Optional.empty();
            WebServer server = startWeb(config, mapper, health, access, settings, db, outbox, sender, box, jobs,
                    boxLists);
            parts.push("web listeners", server, server::stop);
            parts.push("bitrix24 keep-alive", box.startKeepAlive());
            if (leadSourceCheck != null) {
                LeadSourceCheck check = leadSourceCheck;
                settings.onChange(s -> check.checkSoon());
                check.checkSoon();
            }
            if (externalLines != null) {
                ExternalLines check = externalLines;
                settings.onChange(s -> check.checkSoon());
                check.checkSoon();
            }
            if (outgoingLines != null) {
                OutgoingLinesCheck check = outgoingLines;
                settings.onChange(s -> check.checkSoon()); // the routes' external lines may have changed
                check.start();
            }
            pbx.start();
            parts.push("pbx links", pbx);
            LOG.info(() -> "b24bridge " + version() + " started; admin port " + server.port()
                    + ", box port " + server.port(Appliance.BOX_SOCKET));
            return new Appliance(config, db, access, settings, health, server, box, outbox, sender, engine, routing,
                    jobs, parts);
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /**
     * Click-to-call: the box's OnExternalCallStart rings the user's phone on the first PBX, then the client
     * ({@link ClickDialer}); subscribed before the events start. Returns its part of /health.
     */
    private static HealthPart startClicks(ApplianceConfig config, Box box, Database db, SettingsStore settings,
                                          PbxRegistry pbx) {
        if (!box.configured() || config.pbx().isEmpty()) {
            return HealthPart.notConfigured("clickToCall", "click-to-call needs a Bitrix24 box and a PBX");
        }
        ClickHealth health = new ClickHealth(Clock.systemUTC());
        box.events().subscribe(BoxEvent.EXTERNAL_CALL_START, new ClickDialer(settings::current, box.crmDirectory(),
                pbx::originate, config.pbx().getFirst().id(), new ClickCalls(db), health, Clock.systemUTC(),
                new BoxCallbackCrm(box.client())::nameOf));
        return health;
    }

    /**
     * Website callbacks: the box's OnExternalCallBackStart rings an operator on the first PBX, then the client, inside
     * working hours, or sets a task for the first working hour ({@link CallbackDialer}); subscribed before the events
     * start. Returns its part of /health.
     */
    private static HealthPart startCallbacks(ApplianceConfig config, Box box, Database db, SettingsStore settings,
                                             PbxRegistry pbx, Clock siteClock, Parts parts) {
        if (!box.configured() || config.pbx().isEmpty()) {
            return HealthPart.notConfigured("callbacks", "website callbacks need a Bitrix24 box and a PBX");
        }
        CallbackHealth health = new CallbackHealth(siteClock);
        Callbacks store = new Callbacks(db);
        BoxCallbackCrm crm = new BoxCallbackCrm(box.client());
        CallbackAttempts attempts = parts.push("callback attempts", new CallbackAttempts(settings::current,
                pbx::originate, config.pbx().getFirst().id(), store, crm, health, siteClock));
        CallbackDialer dialer = new CallbackDialer(settings::current, box.crmDirectory(), crm, store, attempts, health,
                siteClock);
        box.events().subscribe(BoxEvent.EXTERNAL_CALLBACK_START, dialer);
        dialer.resume(); // what was ringing when the appliance stopped: its next attempt comes after the interval
        return health;
    }

    /** The database, its schema brought up to date. */
    private static Database openStore(ApplianceConfig config) {
        Database db = Database.open(config.storage().databaseDir());
        try {
            Migrations.apply(db, Migrations.SCHEMA);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The outbox's sender: with a box, the dispatcher, woken by every recorded change; without, nothing goes. */
    private static OutboxSender startSender(ApplianceConfig config, Box box, Outbox outbox, Database db,
                                            SettingsStore settings) {
        if (!box.configured()) {
            return OutboxSender.keeping();
        }
        Map<String, RecordingsDir> recordings = recordingsDirs(config);
        // missed calls of known clients become tasks (settings, task-templates), through the same outbox
        MissedCallTasks tasks = new MissedCallTasks(db, box.taskBox(), settings::current);
        Dispatcher dispatcher = new Dispatcher(outbox, box.gateway(), recordings, tasks, 8, Clock.systemUTC(),
                config.shutdownGrace()).start();
        box.onRecovery(dispatcher::boxRecovered);
        return dispatcher;
    }

    /** Per PBX id, where this appliance reads its recordings. */
    private static Map<String, RecordingsDir> recordingsDirs(ApplianceConfig config) {
        Map<String, RecordingsDir> recordings = new HashMap<>();
        for (ApplianceConfig.Pbx p : config.pbx()) {
            // without recordings-dir the appliance reads the PBX's own folder (it runs on the PBX)
            recordings.put(p.id(), new RecordingsDir(p.recordingsDir().orElse(p.recordingsPbxDir()),
                    p.recordingsPbxDir()));
        }
        return recordings;
    }

    /** How often the token-renewal job looks at the access token (Bitrix24's live an hour). */
    private static final Duration TOKEN_RENEWAL_EVERY = Duration.ofMinutes(20);

    /** The appliance's scheduled jobs. */
    private static List<ScheduledJob> scheduledJobs(ApplianceConfig config, Database db, Box box,
                                                    List<Reconciliation> reconciliations,
                                                    CertificateExpiry certificates) {
        List<ScheduledJob> jobs = new ArrayList<>();
        jobs.add(new ScheduledJob("housekeeping", "removes what storage.retention says is old: done commands, "
                + "finished calls, earlier settings versions, backups", Duration.ofDays(1), Duration.ofMinutes(10),
                new Housekeeping(db, config.storage(), recordingsDirs(config), Clock.systemUTC())));
        jobs.add(new ScheduledJob("certificates", "reads the appliance's certificates; warns 30, 7 and 1 days before "
                + "one expires", Duration.ofHours(6), Duration.ofHours(6), certificates::refresh));
        if (config.bitrix24().map(b -> b.auth() == ApplianceConfig.AuthMode.APPLICATION).orElse(false)) {
            // Bitrix24's refresh token lapses after 28 days unused: renewed ahead, a quiet month loses nothing, and a
            // renewal that fails shows in /health before a call needs the token
            jobs.add(new ScheduledJob("token-renewal", "renews the Bitrix24 application's access token before it "
                    + "expires", TOKEN_RENEWAL_EVERY, Duration.ofMinutes(1),
                    () -> box.client().renewTokensAhead(TOKEN_RENEWAL_EVERY.plusMinutes(10))));
        }
        for (Reconciliation r : reconciliations) {
            Duration every = config.pbx().stream().filter(p -> p.id().equals(r.pbx())).findFirst().orElseThrow()
                    .reconcileEvery();
            jobs.add(new ScheduledJob(reconcileJob(r.pbx()), "compares PBX " + r.pbx() + "'s own call records with "
                    + "what reached Bitrix24 and repairs: registers calls never seen, finishes calls left open", every,
                    every, r::run));
        }
        return jobs;
    }

    private static String reconcileJob(String pbx) {
        return "reconcile-" + pbx.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Per PBX id, how its channel names tell phones from trunks. */
    private static Function<String, Endpoints> endpoints(ApplianceConfig config) {
        Map<String, Endpoints> byPbx = new HashMap<>();
        for (ApplianceConfig.Pbx p : config.pbx()) {
            byPbx.put(p.id(), new Endpoints(p.extensionPattern(), p.trunks()));
        }
        return id -> byPbx.getOrDefault(id, Endpoints.standard());
    }

    /**
     * Per PBX whose own call records are read (pbx[].cdr-csv or cdr-sql), how long a call that ended partly unseen waits for
     * its record before it is finished with what was seen.
     */
    private static Map<String, Duration> recordWait(ApplianceConfig config) {
        Map<String, Duration> wait = new HashMap<>();
        for (ApplianceConfig.Pbx p : config.pbx()) {
            if (p.readsRecords()) {
                wait.put(p.id(), p.recordWait());
            }
        }
        return wait;
    }

    /**
     * The FastAGI listener the dialplan asks (agi.host, agi.port); none without a PBX or with port 0, and the
     * PBX routes by itself. Returns the routing part of /health.
     */
    private static HealthPart startAgi(ApplianceConfig config, RoutingService routing, SettingsStore settings,
                                       Parts parts) {
        if (config.pbx().isEmpty() || !config.agi().enabled()) {
            return HealthPart.notConfigured("routing", "no FastAGI listener: no PBX is configured, or agi.port is 0");
        }
        FastAgiServer agi;
        try {
            List<String> peers = config.agi().allow().isEmpty()
                    ? config.pbx().stream().map(ApplianceConfig.Pbx::host).toList() : config.agi().allow();
            agi = new FastAgiServer(config.agi().host(), config.agi().port(),
                    Map.of("route", new RouteScript(routing, () -> settings.current().routing())),
                    FastAgiServer.resolve(peers)).start();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage() + ": set agi.port (0 turns routing off)", e);
        }
        parts.push("fastagi listener", agi);
        settings.onChange(s -> routing.warmUp());
        routing.warmUp();
        return new RoutingHealth(agi, routing);
    }

    /**
     * The web server: the admin listener (panel, JSON API, health and metrics; loopback unless configured) and
     * the box listener (mutual TLS, for the Bitrix24 box's calls into the appliance).
     */
    private static WebServer startWeb(ApplianceConfig config, ObjectMapper mapper, Health health, Access access,
                                      SettingsStore settings, Database db, Outbox outbox, OutboxSender sender,
                                      Box box, Jobs jobs, Optional<BoxLists> boxLists) {
        return WebServer.builder()
                .shutdownHook(false) // our own hook stops the parts in order
                .host(config.adminListener().host())
                .port(config.adminListener().port())
                .tls(ServerTls.admin(config.adminListener(), access.localTools().certificate()))
                .maxPayloadSize(ADMIN_MAX_PAYLOAD)
                .maxTcpConnections(MAX_CONNECTIONS)
                .shutdownGracePeriod(config.shutdownGrace())
                .addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .observersDiscoverServices(false)
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing(r -> r
                        .addFilter(new AdminGuard(access, mapper)) // every route: who calls, and may they
                        .register("/health", new HealthService(health, mapper))
                        .register("/api/session", new SessionApi(access, mapper))
                        .register("/api/setup", new SetupApi(access, mapper))
                        .register("/api/accounts", new AccountsApi(access, mapper))
                        .register("/api/audit", new AuditApi(access.audit(), mapper))
                        // the control panel (issue 16): its files, the settings' shape and versions, the calls
                        .register("/", new PanelFiles())
                        .register("/api/settings-meta", new SettingsVersionsApi(settings, access.audit(), mapper))
                        .register("/api/calls", new CallsApi(outbox.history(), () -> settings.current().inboundRoutes(),
                                config.bitrix24().map(ApplianceConfig.Bitrix24::url), Clock.systemUTC(), mapper))
                        .register("/api/box", new BoxListsApi(boxLists, mapper))
                        .register("/api/recordings", new RecordingsApi(outbox.history(), recordingsDirs(config),
                                mapper))
                        .register("/api/settings", new SettingsApi(settings, access.audit(), mapper))
                        .register("/api/store", new StoreApi(db, config.storage().dir().resolve("backups"),
                                access.audit(), Clock.systemUTC(), mapper))
                        .register("/api/outbox", new OutboxApi(outbox, sender, access.audit(), mapper))
                        .register("/api/ratings", new RatingsApi(outbox.ratings(), Clock.systemUTC(), mapper))
                        .register("/api/bitrix24/install", new InstallApi(box.installGate(), access.audit(), mapper))
                        .register("/api/jobs", new JobsApi(jobs, access.audit(), mapper)))
                .putSocket(Appliance.BOX_SOCKET, listener -> listener
                        .host(config.boxListener().host())
                        .port(config.boxListener().port())
                        .tls(ServerTls.of(config.boxListener()))
                        .maxPayloadSize(BOX_MAX_PAYLOAD)
                        .maxTcpConnections(MAX_CONNECTIONS)
                        .shutdownGracePeriod(config.shutdownGrace()))
                .routing(Appliance.BOX_SOCKET, r -> {
                    r.register("/", new PingService(mapper));
                    box.routeEvents(r);
                })
                .build()
                .start();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
