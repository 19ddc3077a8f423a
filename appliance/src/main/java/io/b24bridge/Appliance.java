package io.b24bridge;

import java.util.Optional;
import java.util.logging.Logger;

import io.helidon.webserver.WebServer;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxKeepAlive;
import io.b24bridge.bitrix.events.BoxEventsService;
import io.b24bridge.calls.CallEngine;
import io.b24bridge.outbox.Dispatcher;
import io.b24bridge.outbox.OutboxStore;
import io.b24bridge.pbx.CallSpineSink;
import io.b24bridge.pbx.FastAgiServer;
import io.b24bridge.pbx.PbxRegistry;
import io.b24bridge.routing.RoutingService;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.health.Health;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.store.Database;

/**
 * A running appliance: the parts {@link Main#start} built, held so they can be reached (tests, commands) and
 * stopped in reverse order of their start.
 */
public record Appliance(ApplianceConfig config, Database db, SettingsStore settings, Health health,
                        WebServer server, Optional<BoxClient> box, Optional<BoxEventsService> boxEvents,
                        Optional<BoxKeepAlive> boxKeepAlive, PbxRegistry pbx, CallSpineSink spine, CallEngine engine,
                        OutboxStore outbox, Optional<Dispatcher> dispatcher, RoutingService routing,
                        Optional<FastAgiServer> agi) {

    private static final Logger LOG = Logger.getLogger(Appliance.class.getName());

    /** The name of the box listener's socket in the web server. */
    public static final String BOX_SOCKET = "box";

    public int adminPort() {
        return server.port();
    }

    public int boxPort() {
        return server.port(BOX_SOCKET);
    }

    public String adminUrl() {
        return Main.localUrl(config.adminListener().host(), adminPort());
    }

    public String boxUrl() {
        return Main.localUrl(config.boxListener().host(), boxPort());
    }

    /**
     * Stops in reverse order of the start: no new PBX events, the commands being sent finish (within the grace
     * period; the rest stay in the outbox for the next start), the listeners close, then the database.
     */
    public void stop() {
        long t0 = System.nanoTime();
        agi.ifPresent(FastAgiServer::close); // new calls go by the PBX's own routing while the appliance is away
        routing.close();
        pbx.close();
        spine.close();
        dispatcher.ifPresent(d -> d.stop(config.shutdownGrace()));
        boxKeepAlive.ifPresent(BoxKeepAlive::close);
        try {
            server.stop();
        } finally {
            box.ifPresent(BoxClient::close);
            db.close();
        }
        LOG.info("b24bridge stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
