package io.b24bridge;

import java.time.Clock;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import io.b24bridge.access.Access;
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
import io.b24bridge.bitrix.events.BoxEventsService;
import io.b24bridge.bitrix.events.PingService;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.health.Health;
import io.b24bridge.jobs.Jobs;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.outbox.OutboxSender;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.store.Database;
import io.b24bridge.web.PanelFiles;
import io.b24bridge.web.ServerTls;

/**
 * The web server {@link Main#start} starts: the admin listener (panel, JSON API, health and metrics; loopback unless
 * configured) and the box listener (mutual TLS, for the Bitrix24 box's calls into the appliance). Every route is
 * registered here, in one place, as a service.
 */
final class WebListeners {

    /**
     * The largest request body the admin listener reads (a settings document is a few kB; 4 MiB leaves room for
     * thousands of routes). Enforced by the server itself, whatever the framing: a chunked body is cut off there too.
     */
    static final long ADMIN_MAX_PAYLOAD = 4L * 1024 * 1024;
    /** The largest request body the box listener reads: an event form is a few kB. */
    static final long BOX_MAX_PAYLOAD = BoxEventsService.MAX_BODY;
    /** Connections a listener holds at once: far above what operators and the box need, below what exhausts it. */
    static final int MAX_CONNECTIONS = 512;

    private WebListeners() {
    }

    /** Both listeners, started. */
    static WebServer start(ApplianceConfig config, ObjectMapper mapper, Health health, Access access,
                           SettingsStore settings, Database db, Outbox outbox, OutboxSender sender, Box box, Jobs jobs,
                           Optional<BoxLists> boxLists) {
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
                        .register("/api/recordings", new RecordingsApi(outbox.history(),
                                PbxWiring.recordingsDirs(config), mapper))
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
}
