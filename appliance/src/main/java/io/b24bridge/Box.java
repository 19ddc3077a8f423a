package io.b24bridge;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRules;

import io.b24bridge.bitrix.BitrixBoxGateway;
import io.b24bridge.bitrix.BitrixTaskBox;
import io.b24bridge.bitrix.BitrixCrmDirectory;
import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxHealth;
import io.b24bridge.bitrix.BoxKeepAlive;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.bitrix.ModuleStatus;
import io.b24bridge.bitrix.UserDirectory;
import io.b24bridge.bitrix.auth.TokenCipher;
import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.bitrix.events.BoxEventsService;
import io.b24bridge.bitrix.events.EventInbox;
import io.b24bridge.bitrix.events.EventsHealth;
import io.b24bridge.bitrix.events.InboxHandler;
import io.b24bridge.bitrix.events.InstallGate;
import io.b24bridge.bitrix.events.Installs;
import io.b24bridge.bitrix.events.ModuleEventPuller;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.health.HealthPart;
import io.b24bridge.outbox.BoxGateway;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.routing.CrmUnavailable;
import io.b24bridge.store.Database;
import io.b24bridge.tasks.TaskBox;

/**
 * The Bitrix24 box as the appliance's parts meet it: the outbox's gateway, routing's CRM directory, the
 * handler of the box's events, its health part and keep-alive. {@link #none()} stands in when the configuration
 * names no box: routing answers by the routes' defaults, the outbox keeps everything, health says so.
 */
public sealed interface Box extends AutoCloseable {

    /**
     * The box the configuration names (its client set up, nothing sent yet), or {@link #none()}.
     *
     * @param installs hears of every install event taken or refused (the audit log)
     */
    static Box of(ApplianceConfig config, Database db, ObjectMapper mapper, Consumer<InstallGate.Decision> installs) {
        return config.bitrix24().<Box>map(b -> Connected.create(b, db,
                config.storage().dir().resolve("keys").resolve("bitrix24-tokens.key"), mapper, installs))
                .orElseGet(Box::none);
    }

    static Box none() {
        return new None();
    }

    /** Whether a box is configured: without one nothing is sent, everything is kept. */
    boolean configured();

    BoxGateway gateway();

    CrmDirectory crmDirectory();

    /** Missed-call tasks on the box (tasks.task.*). */
    TaskBox taskBox();

    HealthPart health();

    /** The events part of /health: the inbox, and with the module the pulling of its queue. */
    HealthPart eventsHealth();

    /**
     * Registers the handler of the box's events on the box listener's routes: where Bitrix's cloud queue POSTs them.
     * Through the b24bridge module nothing comes in: the appliance pulls.
     */
    void routeEvents(HttpRules rules);

    /**
     * Starts handling the box's events from the inbox and, through the module, pulling them from its queue; closed to
     * stop. Listeners subscribe to {@link #events()} before.
     */
    AutoCloseable startEvents();

    /** Starts asking the box a cheap question every half minute (warm connection, health); closed to stop. */
    AutoCloseable startKeepAlive();

    /** Runs {@code r} whenever the box answers again after failing, and when the application is (re)installed. */
    void onRecovery(Runnable r);

    /** The REST client (tests, commands). */
    BoxClient client();

    /** Where listeners subscribe to the box's events (the inbox's handling). */
    InboxHandler events();

    /** What lets an install event in (armed by an administrator); empty without a box. */
    Optional<InstallGate> installGate();

    @Override
    void close();

    /** A configured box. */
    record Connected(ApplianceConfig.Bitrix24 config, BoxClient client, InboxHandler events, InstallGate gate,
                     Optional<ModuleEventPuller> puller, ModuleStatus module, BoxGateway gateway,
                     CrmDirectory crmDirectory) implements Box {

        static Connected create(ApplianceConfig.Bitrix24 config, Database db, Path tokenKey, ObjectMapper mapper,
                                Consumer<InstallGate.Decision> installs) {
            BoxClient client = BoxClient.create(config, db, tokenKey, mapper);
            InstallGate gate = new InstallGate(client, config.application().map(ApplianceConfig.Application::clientId)
                    .orElse(""), Clock.systemUTC(), installs);
            CrmApi crm = new CrmApi(client);
            UserDirectory users = new UserDirectory(crm, Clock.systemUTC());
            // routing asks in its own lane: a flood of new caller numbers cannot delay what the CRM must be told
            BoxClient routing = client.routingLane();
            CrmApi routingCrm = new CrmApi(routing);
            InboxHandler events = new InboxHandler(new EventInbox(db, TokenCipher.fromKeyFile(tokenKey), mapper,
                    Clock.systemUTC()), Clock.systemUTC());
            events.subscribe(BoxEvent.APP_INSTALL, new Installs(client, events.inbox(), gate,
                    config.application().flatMap(ApplianceConfig.Application::eventsUrl)));
            Optional<ModuleEventPuller> puller = config.module().filter(m -> config.auth() == ApplianceConfig.AuthMode.MODULE)
                    .map(m -> new ModuleEventPuller(client, events, m.pullWait(), mapper, Clock.systemUTC()));
            return new Connected(config, client, events, gate, puller, new ModuleStatus(),
                    new BitrixBoxGateway(client, users), new BitrixCrmDirectory(new TelephonyApi(routing), routingCrm,
                    new UserDirectory(routingCrm, Clock.systemUTC())));
        }

        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public TaskBox taskBox() {
            return new BitrixTaskBox(client, new UserDirectory(new CrmApi(client), Clock.systemUTC()), config.url());
        }

        @Override
        public HealthPart health() {
            return new BoxHealth(client, config.url().toString(), puller.isPresent() ? module : null);
        }

        @Override
        public HealthPart eventsHealth() {
            return new EventsHealth(events, puller);
        }

        @Override
        public void routeEvents(HttpRules rules) {
            if (puller.isEmpty()) {
                rules.register("/bitrix24/events", new BoxEventsService(client,
                        config.webhook().flatMap(ApplianceConfig.Webhook::eventsToken), events, gate));
            }
        }

        @Override
        public AutoCloseable startEvents() {
            events.start();
            puller.ifPresent(ModuleEventPuller::start);
            return () -> {
                puller.ifPresent(ModuleEventPuller::close);
                events.close();
            };
        }

        @Override
        public AutoCloseable startKeepAlive() {
            return new BoxKeepAlive(client, config.auth(), module);
        }

        @Override
        public void onRecovery(Runnable r) {
            client.onRecovery(r);
        }

        @Override
        public Optional<InstallGate> installGate() {
            return Optional.of(gate);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** No box configured. */
    record None() implements Box {

        private static final String WHY =
                "no Bitrix24 box is configured (the bitrix24 section of the configuration file)";

        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public BoxGateway gateway() {
            throw new IllegalStateException(WHY);
        }

        @Override
        public CrmDirectory crmDirectory() {
            return new CrmUnavailable();
        }

        @Override
        public TaskBox taskBox() {
            throw new IllegalStateException(WHY);
        }

        @Override
        public HealthPart health() {
            return HealthPart.notConfigured("bitrix24", WHY);
        }

        @Override
        public HealthPart eventsHealth() {
            return HealthPart.notConfigured("events", WHY);
        }

        @Override
        public void routeEvents(HttpRules rules) {
            // nobody sends events: /bitrix24/events answers 404
        }

        @Override
        public AutoCloseable startEvents() {
            return () -> { };
        }

        @Override
        public AutoCloseable startKeepAlive() {
            return () -> { };
        }

        @Override
        public void onRecovery(Runnable r) {
            // never recovers: there is nothing to fail
        }

        @Override
        public BoxClient client() {
            throw new IllegalStateException(WHY);
        }

        @Override
        public InboxHandler events() {
            throw new IllegalStateException(WHY);
        }

        @Override
        public Optional<InstallGate> installGate() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
