package io.b24bridge.pbx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.helidon.metrics.api.MeterRegistry;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.health.HealthPart;

/**
 * All the PBX links of the appliance, one {@link AmiConnection} per configured PBX, all feeding the same
 * {@link PbxEventSink} (each from its own thread, its events tagged with its id). Starts them in the
 * configuration's order, stops them in reverse; provides the {@code pbx} health part and the meters.
 */
public final class PbxRegistry implements AutoCloseable {

    private final List<AmiConnection> connections;
    private final PbxMetrics metrics;
    private final PbxHealth health;

    public PbxRegistry(List<AmiSettings> settings, PbxEventSink sink, MeterRegistry meters) {
        Set<String> ids = new HashSet<>();
        List<AmiConnection> list = new ArrayList<>();
        for (AmiSettings s : settings) {
            if (!ids.add(s.pbxId())) {
                throw new IllegalArgumentException("two PBXs share the id '" + s.pbxId() + "'");
            }
            list.add(new AmiConnection(s, sink));
        }
        this.connections = List.copyOf(list);
        this.metrics = new PbxMetrics(meters, connections);
        this.health = new PbxHealth(connections);
    }

    /** The PBXs of the configuration file, with the production timings. */
    public static PbxRegistry of(List<ApplianceConfig.Pbx> pbx, PbxEventSink sink, MeterRegistry meters) {
        return new PbxRegistry(pbx.stream().map(AmiSettings::of).toList(), sink, meters);
    }

    /** Starts every link in the background (returns at once, whether the PBXs answer or not). */
    public void start() {
        for (AmiConnection c : connections) {
            c.start();
        }
    }

    public List<AmiConnection> connections() {
        return connections;
    }

    public Optional<AmiConnection> connection(String pbxId) {
        return connections.stream().filter(c -> c.id().equals(pbxId)).findFirst();
    }

    /** Originates on PBX {@code pbxId}; fails with {@link PbxUnavailableException} for an unknown or down PBX. */
    public CompletableFuture<OriginateResult> originate(String pbxId, OriginateRequest request) {
        return connection(pbxId).map(c -> c.originate(request)).orElseGet(() ->
                CompletableFuture.failedFuture(new PbxUnavailableException("no PBX with id '" + pbxId + "'")));
    }

    public List<AmiConnection.Status> status() {
        return connections.stream().map(AmiConnection::status).toList();
    }

    /** The {@code pbx} part of {@code /health}: NOT_CONFIGURED with no PBX, DOWN while any link is down. */
    public HealthPart health() {
        return health;
    }

    /** Stops the links in reverse order; each delivers its last events and {@code onDisconnected} first. */
    @Override
    public void close() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            connections.get(i).close();
        }
        metrics.close();
    }
}
