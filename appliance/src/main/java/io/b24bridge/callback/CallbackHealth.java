package io.b24bridge.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;
import io.b24bridge.health.RecentRefusals;

/**
 * The {@code callbacks} part of /health: callbacks rung for, answered, missed after the retries, set as tasks outside
 * working hours, repeats dropped, and the last ones refused or failed with why. DEGRADED while a refusal is recent.
 */
public final class CallbackHealth implements HealthPart {

    static final int KEPT = 10;
    static final Duration RECENT = Duration.ofHours(1);

    private final Clock clock;
    private final RecentRefusals refusals = new RecentRefusals(KEPT, RECENT);
    private long originated;
    private long answered;
    private long missed;
    private long tasks;
    private long repeats;
    private long refused;
    private Instant lastCallbackAt;

    public CallbackHealth(Clock clock) {
        this.clock = clock;
    }

    synchronized void originated(Instant receivedAt) {
        originated++;
        lastCallbackAt = receivedAt;
    }

    synchronized void answered() {
        answered++;
    }

    synchronized void missed() {
        missed++;
    }

    synchronized void task() {
        tasks++;
    }

    synchronized void repeat() {
        repeats++;
    }

    synchronized void refused(String what, String why, Instant at) {
        refused++;
        refusals.add(new RecentRefusals.Refusal(at, what, why));
    }

    /** How many callbacks rang an operator side since the start (benches and tests read it). */
    public synchronized long originatedSinceStart() {
        return originated;
    }

    @Override
    public String name() {
        return "callbacks";
    }

    @Override
    public synchronized PartHealth check() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("originatedSinceStart", originated);
        facts.put("answeredSinceStart", answered);
        facts.put("missedSinceStart", missed);
        facts.put("tasksSinceStart", tasks);
        facts.put("repeatsDroppedSinceStart", repeats);
        facts.put("refusedSinceStart", refused);
        if (lastCallbackAt != null) {
            facts.put("lastCallbackAt", lastCallbackAt.toString());
        }
        facts.put("lastRefused", refusals.lines());
        return refusals.recent(clock.instant())
                .map(r -> new PartHealth(PartHealth.State.DEGRADED, "a callback was not made: " + r.why(), facts))
                .orElseGet(() -> PartHealth.up("callbacks are rung for", facts));
    }
}
