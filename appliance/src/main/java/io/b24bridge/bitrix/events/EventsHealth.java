package io.b24bridge.bitrix.events;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The {@code events} part of /health: the inbox (waiting, set aside, handled), and with the b24bridge module the
 * pulling of its queue (when it last answered, the last failure). Not critical: calls go on without the box's events.
 */
public final class EventsHealth implements HealthPart {

    /** A pull that has not answered for this long means events do not come. */
    static final Duration PULL_SILENT = Duration.ofMinutes(2);

    private final InboxHandler handler;
    private final Optional<ModuleEventPuller> puller;

    public EventsHealth(InboxHandler handler, Optional<ModuleEventPuller> puller) {
        this.handler = handler;
        this.puller = puller;
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public PartHealth check() {
        EventInbox.Counts c = handler.inbox().counts();
        InboxHandler.Stats s = handler.stats();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("source", puller.isPresent() ? "the b24bridge module's queue (pulled)" : "Bitrix's cloud queue (POSTed)");
        facts.put("waiting", c.pending());
        facts.put("setAside", c.dead());
        facts.put("handledKept", c.handled());
        facts.put("handledSinceStart", s.handled());
        facts.put("failedHandlingsSinceStart", s.failures());
        facts.put("lastReceivedAt", c.lastReceived() == null ? null : c.lastReceived().toString());
        if (puller.isPresent()) {
            ModuleEventPuller.Status p = puller.get().status();
            facts.put("lastPullAt", p.lastPull() == null ? null : p.lastPull().toString());
            facts.put("lastEventPulledAt", p.lastEvent() == null ? null : p.lastEvent().toString());
            facts.put("pulledSinceStart", p.pulled());
            facts.put("repeatsRecognisedSinceStart", p.repeats());
            facts.put("lastPullError", p.lastError());
            facts.values().removeIf(Objects::isNull);
            if (p.lastError() != null && (p.lastPull() == null
                    || Duration.between(p.lastPull(), Instant.now()).compareTo(PULL_SILENT) > 0)) {
                return PartHealth.down("events cannot be taken from the b24bridge module: " + p.lastError(), facts);
            }
        }
        facts.values().removeIf(Objects::isNull);
        if (c.dead() > 0) {
            return new PartHealth(PartHealth.State.DEGRADED, c.dead() + " event(s) could not be handled and were set "
                    + "aside (see the log)", facts);
        }
        return PartHealth.up(c.pending() == 0 ? "every event received is handled" : c.pending() + " event(s) being "
                + "handled", facts);
    }
}
