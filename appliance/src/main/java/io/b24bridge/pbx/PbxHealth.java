package io.b24bridge.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The pbx part of {@code /health}: per PBX, is the AMI link up and since when, when the last event came, the
 * event rate, reconnects and the last error. A PBX whose AMI link is down is DOWN for this part, and the part is
 * critical: /health then answers 503, because no call of that PBX reaches the CRM meanwhile and monitoring must
 * say so (the appliance goes on: the link comes back by itself and the calls of the gap are reconciled from the
 * PBX's records).
 */
final class PbxHealth implements HealthPart {

    private final List<AmiConnection> connections;

    PbxHealth(List<AmiConnection> connections) {
        this.connections = List.copyOf(connections);
    }

    @Override
    public String name() {
        return "pbx";
    }

    @Override
    public boolean critical() {
        return true;
    }

    @Override
    public PartHealth check() {
        if (connections.isEmpty()) {
            return PartHealth.notConfigured("no PBX is configured (the pbx list of the configuration file)");
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        List<String> down = new ArrayList<>();
        for (AmiConnection c : connections) {
            AmiConnection.Status s = c.status();
            facts.put(s.pbxId(), facts(s));
            if (!s.connected()) {
                down.add(s.pbxId() + " " + s.state().name().toLowerCase(Locale.ROOT)
                        + (s.lastError() == null ? "" : ": " + s.lastError()));
            } else if (s.readProblem() != null) {
                down.add(s.pbxId() + ": " + s.readProblem());
            }
        }
        if (!down.isEmpty()) {
            return PartHealth.down(String.join("; ", down), facts);
        }
        return PartHealth.up(connections.size() == 1 ? "the AMI link is up"
                : "all " + connections.size() + " AMI links are up", facts);
    }

    private static Map<String, Object> facts(AmiConnection.Status s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("address", s.address());
        f.put("state", s.state().name());
        f.put("since", s.since().toString());
        f.put("lastEventAt", s.lastEventAt() == null ? null : s.lastEventAt().toString());
        f.put("eventsPerSecond", Math.round(s.eventsPerSecond() * 10) / 10.0);
        f.put("eventsReceived", s.eventsReceived());
        f.put("reconnects", s.reconnects());
        f.put("loginFailures", s.loginFailures());
        f.put("queueDepth", s.queueDepth());
        f.put("backPressureWaits", s.backPressureWaits());
        f.put("eventsPerRun", Math.round(s.eventsPerRun() * 10) / 10.0);
        if (s.resyncs() > 0) {
            f.put("resyncs", s.resyncs());
        }
        if (s.lastError() != null) {
            f.put("lastError", Map.of("at", s.lastErrorAt().toString(), "message", s.lastError()));
        }
        f.values().removeIf(Objects::isNull);
        return f;
    }
}
