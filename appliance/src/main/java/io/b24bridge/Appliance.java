package io.b24bridge;

import java.util.logging.Logger;

import io.helidon.webserver.WebServer;

import io.b24bridge.access.Access;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.crm.CallEngine;
import io.b24bridge.health.Health;
import io.b24bridge.jobs.Jobs;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.outbox.OutboxSender;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.store.Database;
import io.b24bridge.web.LocalAdmin;

/**
 * A running appliance: what {@link Main#start} started, stopped in reverse order of the start by
 * {@link #stop()}; the parts tests and commands reach are named here.
 */
public final class Appliance {

    private static final Logger LOG = Logger.getLogger(Appliance.class.getName());

    /** The name of the box listener's socket in the web server. */
    public static final String BOX_SOCKET = "box";

    private final ApplianceConfig config;
    private final Database db;
    private final Access access;
    private final SettingsStore settings;
    private final Health health;
    private final WebServer server;
    private final Box box;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final CallEngine engine;
    private final RoutingService routing;
    private final Jobs jobs;
    private final Parts parts;

    Appliance(ApplianceConfig config, Database db, Access access, SettingsStore settings, Health health,
              WebServer server, Box box, Outbox outbox, OutboxSender sender, CallEngine engine, RoutingService routing,
              Jobs jobs, Parts parts) {
        this.config = config;
        this.db = db;
        this.access = access;
        this.settings = settings;
        this.health = health;
        this.server = server;
        this.box = box;
        this.outbox = outbox;
        this.sender = sender;
        this.engine = engine;
        this.routing = routing;
        this.jobs = jobs;
        this.parts = parts;
    }

    public ApplianceConfig config() {
        return config;
    }

    public Database db() {
        return db;
    }

    /** Accounts, tokens, sessions, the audit log of the admin listener. */
    public Access access() {
        return access;
    }

    public SettingsStore settings() {
        return settings;
    }

    public Health health() {
        return health;
    }

    /** The Bitrix24 box ({@link Box#none()} when none is configured). */
    public Box box() {
        return box;
    }

    public Outbox outbox() {
        return outbox;
    }

    public OutboxSender sender() {
        return sender;
    }

    public CallEngine engine() {
        return engine;
    }

    public RoutingService routing() {
        return routing;
    }

    public Jobs jobs() {
        return jobs;
    }

    public int adminPort() {
        return server.port();
    }

    public int boxPort() {
        return server.port(BOX_SOCKET);
    }

    public String adminUrl() {
        return LocalAdmin.url(config.adminListener().host(), adminPort());
    }

    public String boxUrl() {
        return LocalAdmin.url(config.boxListener().host(), boxPort());
    }

    /**
     * Stops in reverse order of the start: no new PBX events, the listeners close, the commands being sent
     * finish (within the grace period; the rest stay in the outbox for the next start), then the database.
     */
    public void stop() {
        long t0 = System.nanoTime();
        parts.close();
        LOG.info("b24bridge stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
