package io.b24bridge.health;

import java.util.Map;

/**
 * The state of one part of the appliance (database, pbx, bitrix24, …) as {@code /health} shows it.
 *
 * @param state  its state
 * @param detail one sentence for a person: what is wrong and, when it can be said, what to do
 * @param facts  figures behind the state (versions, counts, last error); shown as they are
 */
public record PartHealth(State state, String detail, Map<String, Object> facts) {

    /** States from best to worst; {@link #NOT_CONFIGURED} is not a failure. */
    public enum State { UP, NOT_CONFIGURED, DEGRADED, DOWN }

    public PartHealth {
        facts = Map.copyOf(facts);
    }

    public static PartHealth up(String detail, Map<String, Object> facts) {
        return new PartHealth(State.UP, detail, facts);
    }

    public static PartHealth down(String detail, Map<String, Object> facts) {
        return new PartHealth(State.DOWN, detail, facts);
    }

    public static PartHealth notConfigured(String detail) {
        return new PartHealth(State.NOT_CONFIGURED, detail, Map.of());
    }
}
