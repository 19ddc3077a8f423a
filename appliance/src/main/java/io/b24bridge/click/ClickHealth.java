package io.b24bridge.click;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;
import io.b24bridge.health.RecentRefusals;

/**
 * The {@code clickToCall} part of /health: clicks rung for, repeats dropped, and the last clicks refused or failed
 * with why (a user without an inner number, a garbled number, the PBX away). DEGRADED while a refusal is recent.
 */
public final class ClickHealth implements HealthPart {

    static final int KEPT = 10;
    static final Duration RECENT = Duration.ofHours(1);

    private final Clock clock;
    private final RecentRefusals refusals = new RecentRefusals(KEPT, RECENT);
    private long originated;
    private long repeats;
    private long refused;
    private Instant lastClick;

    public ClickHealth(Clock clock) {
        this.clock = clock;
    }

    synchronized void originated(Instant receivedAt) {
        originated++;
        lastClick = receivedAt;
    }

    synchronized void repeat() {
        repeats++;
    }

    synchronized void refused(String callId, int userId, String why, Instant at) {
        refused++;
        failed(callId, userId, why, at);
    }

    synchronized void failed(String callId, int userId, String why, Instant at) {
        refusals.add(new RecentRefusals.Refusal(at, callId + " (user " + userId + ")", why));
    }

    /** The last clicks not rung for, newest first. */
    public synchronized List<RecentRefusals.Refusal> lastRefusals() {
        return refusals.last();
    }

    @Override
    public String name() {
        return "clickToCall";
    }

    @Override
    public synchronized PartHealth check() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("originatedSinceStart", originated);
        facts.put("repeatsDroppedSinceStart", repeats);
        facts.put("refusedSinceStart", refused);
        if (lastClick != null) {
            facts.put("lastClickAt", lastClick.toString());
        }
        facts.put("lastRefused", refusals.lines());
        return refusals.recent(clock.instant())
                .map(r -> new PartHealth(PartHealth.State.DEGRADED, "a click was not rung for: " + r.why(), facts))
                .orElseGet(() -> PartHealth.up("clicks are rung for", facts));
    }
}
