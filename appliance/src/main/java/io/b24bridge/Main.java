package io.b24bridge;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;

import io.b24bridge.access.Access;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Identity;
import io.b24bridge.bitrix.BoxLists;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.crm.CallEngine;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.crm.JournalHealth;
import io.b24bridge.doctor.Doctor;
import io.b24bridge.health.Health;
import io.b24bridge.health.HealthPart;
import io.b24bridge.jobs.Jobs;
import io.b24bridge.tls.CertificateExpiry;
import io.b24bridge.json.Json;
import io.b24bridge.logging.StopSafeLogManager;
import io.b24bridge.outbox.Dispatcher;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.outbox.OutboxSender;
import io.b24bridge.outbox.RecordingsDir;
import io.b24bridge.pbx.CallSpineSink;
import io.b24bridge.pbx.LinkSeenStore;
import io.b24bridge.pbx.PbxRegistry;
import io.b24bridge.pbx.Reconciliation;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.sandbox.Sandbox;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.tasks.MissedCallTasks;
import io.b24bridge.store.Database;
import io.b24bridge.store.DatabaseHealth;
import io.b24bridge.store.Migrations;
import io.b24bridge.store.StoreException;

/**
 * The appliance's entry point. {@link #start} is the whole wiring, top to bottom: each part is built from
 * the configuration and handed what it needs; {@link Appliance#stop()} takes them down in reverse order. Where one
 * step builds several things of one capability it calls a small factory beside this class: {@link PbxWiring} (per-PBX
 * settings, FastAGI), {@link BoxChecks}, {@link ApplianceJobs}, {@link Dialers} (click-to-call, callbacks) and
 * {@link WebListeners} (every route of both listeners).
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
            CallEngine engine = new CallEngine(new CallTracker(PbxWiring.endpoints(config)),
                    new CrmLifecycle(PbxWiring.recordWait(config)), outbox.journal(), settings::current);
            CallSpineSink spine = parts.push("call spine", new CallSpineSink(engine, new LinkSeenStore(db)));
            List<Reconciliation> reconciliations = config.pbx().stream().filter(ApplianceConfig.Pbx::readsRecords)
                    .map(spine::readRecords).toList();
            reconciliations.forEach(r -> parts.push("reconciliation of " + r.pbx(), r));

            // routing: the PBXs' dialplan asks over FastAGI where an inbound call goes; the answer never waits
            // for the box longer than the settings' deadline (then the cache or the route's defaults)
            RoutingService routing = parts.push("routing", new RoutingService(settings::current, box.crmDirectory()));
            HealthPart routingHealth = PbxWiring.startAgi(config, routing, settings, parts);

            // what the settings need from the box (lead sources, external lines, whose clicks reach us): checked
            // once everything is listening, and whenever the settings change
            BoxChecks boxChecks = BoxChecks.of(box, settings, parts);

            PbxRegistry pbx = PbxRegistry.of(config.pbx(), spine, Metrics.globalRegistry());
            // scheduled work (Quartz, its store in the same Derby): started before the PBX links, whose every
            // (re)connect asks for a reconciliation
            CertificateExpiry certificates = new CertificateExpiry(CertificateExpiry.of(config), Clock.systemUTC());
            LOG.info(() -> "certificates: " + certificates.refresh());
            Jobs jobs = parts.push("jobs", ApplianceJobs.start(config, db, box, reconciliations, certificates, spine));
            HealthPart clicks = Dialers.clicks(config, box, db, settings, pbx);
            HealthPart callbacks = Dialers.callbacks(config, box, db, settings, pbx, siteClock, parts);
            Health health = new Health(List.of(new DatabaseHealth(db), new JournalHealth(engine), pbx.health(),
                    box.health(), box.eventsHealth(), sender.health(), routingHealth, boxChecks.leadSources(),
                    boxChecks.externalLines(), boxChecks.outgoingLines(), clicks, jobs.health(), certificates,
                    callbacks), version());
            // the box's events: handled from the inbox before anything can POST one (the install must be in place
            // before the next event is checked); through the module, pulled from its queue
            parts.push("bitrix24 events", box.startEvents());
            // the box's lead sources and users, for the panel's pickers
            Optional<BoxLists> boxLists = box.configured()
                    ? Optional.of(BoxLists.of(new CrmApi(box.client()), Clock.systemUTC())) : Optional.empty();
            WebServer server = WebListeners.start(config, mapper, health, access, settings, db, outbox, sender, box,
                    jobs, boxLists);
            parts.push("web listeners", server, server::stop);
            parts.push("bitrix24 keep-alive", box.startKeepAlive());
            boxChecks.start();
            pbx.start();
            parts.push("pbx links", pbx);
            // stopped first (parts stop in reverse): from here an interrupt of a thread waiting to store call changes
            // is the stop (the PBX links' drain cuts their intake short), never before (Derby interrupts threads too)
            parts.push("call engine", engine, engine::stop);
            LOG.info(() -> "b24bridge " + version() + " started; admin port " + server.port()
                    + ", box port " + server.port(Appliance.BOX_SOCKET));
            return new Appliance(config, db, access, settings, health, server, box, outbox, sender, engine, routing,
                    jobs, parts);
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /** The database, its schema brought up to date. */
    private static Database openStore(ApplianceConfig config) {
        long t0 = System.nanoTime();
        Database db = Database.open(config.storage().databaseDir());
        try {
            long opened = System.nanoTime();
            Migrations.apply(db, Migrations.SCHEMA);
            // the two longest steps of a start after a crash (Derby's recovery is in the first): measured, not guessed
            LOG.info(() -> "database open in " + (opened - t0) / 1_000_000 + " ms, schema checked in "
                    + (System.nanoTime() - opened) / 1_000_000 + " ms");
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
        Map<String, RecordingsDir> recordings = PbxWiring.recordingsDirs(config);
        // missed calls of known clients become tasks (settings, task-templates), through the same outbox
        MissedCallTasks tasks = new MissedCallTasks(db, box.taskBox(), settings::current);
        Dispatcher dispatcher = new Dispatcher(outbox, box.gateway(), recordings, tasks, 8, Clock.systemUTC(),
                config.shutdownGrace()).start();
        box.onRecovery(dispatcher::boxRecovered);
        return dispatcher;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
