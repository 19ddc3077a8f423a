package io.b24bridge.click;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The {@code clickToCall} part of /health: clicks rung for, repeats dropped, and the last clicks refused or failed
 * with why (a user without an inner number, a garbled number, the PBX away). DEGRADED while a refusal is recent.
 */
public final class ClickHealth implements HealthPart {

    static final int KEPT = 10;
    static final Duration RECENT = Duration.ofHours(1);

    /** One click not rung for. */
    public record Refusal(Instant at, String callId, int userId, String why) {
    }

    private final Clock clock;
    private final Deque<Refusal> refusals = new ArrayDeque<>();
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
        keep(new Refusal(at, callId, userId, why));
    }

    synchronized void failed(String callId, int userId, String why, Instant at) {
        keep(new Refusal(at, callId, userId, why));
    }

    private void keep(Refusal r) {
        refusals.addFirst(r);
        while (refusals.size() > KEPT) {
            refusals.removeLast();
        }
    }

    public synchronized List<Refusal> lastRefusals() {
        return List.copyOf(refusals);
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
        facts.put("lastRefused", refusals.stream().map(r -> r.at() + " " + r.callId() + " (user " + r.userId() + "): "
                + r.why()).toList());
        Refusal last = refusals.peekFirst();
        if (last != null && Duration.between(last.at(), clock.instant()).compareTo(RECENT) < 0) {
            return new PartHealth(PartHealth.State.DEGRADED, "a click was not rung for: " + last.why(), facts);
        }
        return PartHealth.up("clicks are rung for", facts);
    }
}
