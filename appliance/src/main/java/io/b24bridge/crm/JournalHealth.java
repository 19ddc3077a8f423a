package io.b24bridge.crm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The {@code calls} part of /health: whether the call journal's writes are taken. When the database refuses them
 * the appliance holds the PBX's events rather than drop what the CRM must be told: it is not working then (DOWN,
 * 503), however well the database answers a read.
 */
public final class JournalHealth implements HealthPart {

    private final CallEngine engine;

    public JournalHealth(CallEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "calls";
    }

    @Override
    public boolean critical() {
        return true;
    }

    @Override
    public PartHealth check() {
        Optional<CallEngine.Refusal> r = engine.refusal();
        // nothing here waits for the engine: while a write is refused it holds its lock
        Map<String, Object> facts = new LinkedHashMap<>();
        long setAside = engine.setAside();
        if (setAside > 0) {
            facts.put("setAside", setAside);
        }
        if (r.isEmpty() && setAside > 0) {
            return new PartHealth(PartHealth.State.DEGRADED, setAside + " call(s)' changes were refused by the database "
                    + "as data and set aside since the start (the log names each call); the others are stored", facts);
        }
        if (r.isEmpty()) {
            return PartHealth.up("call changes are stored as they happen", facts);
        }
        facts.put("refusedSince", r.get().since().toString());
        facts.put("attempts", r.get().attempts());
        facts.put("lastError", r.get().lastError());
        return PartHealth.down("the database refuses to store call changes since " + r.get().since() + " ("
                + r.get().lastError() + "): the PBX's events are held until it accepts them again", facts);
    }
}
