package io.b24bridge.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks each part for its state and sums them up: the overall state is the worst part's, where a part that
 * is not configured counts as fine and a non-critical part that is DOWN makes the whole DEGRADED only.
 */
public final class Health {

    private final List<HealthPart> parts;
    private final String version;
    private final Instant started = Instant.now();

    public Health(List<HealthPart> parts, String version) {
        this.parts = List.copyOf(parts);
        this.version = version;
    }

    /** The whole picture at this moment. */
    public Report report() {
        Map<String, PartHealth> states = new LinkedHashMap<>();
        PartHealth.State overall = PartHealth.State.UP;
        for (HealthPart part : parts) {
            PartHealth health;
            try {
                health = part.check();
            } catch (RuntimeException e) {
                health = PartHealth.down("health check failed: " + e.getMessage(), Map.of());
            }
            states.put(part.name(), health);
            PartHealth.State counts = health.state() == PartHealth.State.DOWN && !part.critical()
                    ? PartHealth.State.DEGRADED : health.state();
            if (counts != PartHealth.State.NOT_CONFIGURED && counts.compareTo(overall) > 0) {
                overall = counts;
            }
        }
        return new Report(overall, version, Duration.between(started, Instant.now()).toSeconds(), states);
    }

    /**
     * @param status        the worst state of the configured parts
     * @param version       the appliance's version
     * @param uptimeSeconds seconds since start
     * @param parts         each part's state by name
     */
    public record Report(PartHealth.State status, String version, long uptimeSeconds, Map<String, PartHealth> parts) {
    }
}
