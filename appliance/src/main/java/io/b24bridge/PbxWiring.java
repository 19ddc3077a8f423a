package io.b24bridge;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.b24bridge.calls.Endpoints;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.health.HealthPart;
import io.b24bridge.pbx.FastAgiServer;
import io.b24bridge.pbx.RouteScript;
import io.b24bridge.pbx.RoutingHealth;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.outbox.RecordingsDir;
import io.b24bridge.settings.SettingsStore;

/** What {@link Main#start} reads per PBX from the configuration, and the FastAGI listener the PBXs' dialplan asks. */
final class PbxWiring {

    private PbxWiring() {
    }

    /** Per PBX id, how its channel names tell phones from trunks. */
    static Function<String, Endpoints> endpoints(ApplianceConfig config) {
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
    static Map<String, Duration> recordWait(ApplianceConfig config) {
        Map<String, Duration> wait = new HashMap<>();
        for (ApplianceConfig.Pbx p : config.pbx()) {
            if (p.readsRecords()) {
                wait.put(p.id(), p.recordWait());
            }
        }
        return wait;
    }

    /** Per PBX id, where this appliance reads its recordings. */
    static Map<String, RecordingsDir> recordingsDirs(ApplianceConfig config) {
        Map<String, RecordingsDir> recordings = new HashMap<>();
        for (ApplianceConfig.Pbx p : config.pbx()) {
            // without recordings-dir the appliance reads the PBX's own folder (it runs on the PBX)
            recordings.put(p.id(), new RecordingsDir(p.recordingsDir().orElse(p.recordingsPbxDir()),
                    p.recordingsPbxDir()));
        }
        return recordings;
    }

    /**
     * The FastAGI listener the dialplan asks (agi.host, agi.port); none without a PBX or with port 0, and the
     * PBX routes by itself. Returns the routing part of /health.
     */
    static HealthPart startAgi(ApplianceConfig config, RoutingService routing, SettingsStore settings, Parts parts) {
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
}
