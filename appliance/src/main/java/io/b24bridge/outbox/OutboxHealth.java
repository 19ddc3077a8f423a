package io.b24bridge.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The outbox part of {@code /health}: how much waits for the box and since when, and the dead letters an
 * operator has to look at.
 */
public final class OutboxHealth implements HealthPart {

    /** Older than this, waiting commands mean the CRM is behind enough for people to notice. */
    static final Duration BEHIND = Duration.ofMinutes(5);

    private final OutboxReport report;
    private final Dispatcher dispatcher;
    private final RegisterRisks risks;

    public OutboxHealth(OutboxReport report, Dispatcher dispatcher, RegisterRisks risks) {
        this.report = report;
        this.dispatcher = dispatcher;
        this.risks = risks;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public PartHealth check() {
        OutboxReport.Counts c = report.counts();
        Dispatcher.Stats s = dispatcher.stats();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("waiting", c.pending() + c.sending());
        facts.put("deadLetters", c.dead());
        facts.put("sent", c.done());
        facts.put("sentSinceStart", s.sent());
        facts.put("failedAttemptsSinceStart", s.failures());
        facts.put("callsSendingNow", s.callsInFlight());
        Duration behind = c.oldestWaiting() == null ? Duration.ZERO : Duration.between(c.oldestWaiting(), Instant.now());
        facts.put("oldestWaitingSeconds", behind.toSeconds());
        List<RegisterRisks.Risk> atRisk = risks.list(20);
        if (!atRisk.isEmpty()) {
            facts.put("callsAtRisk", atRisk.stream().map(r -> r.call().externalCallId() + " (" + r.clientNumber()
                    + ", started " + r.startedAt() + ", now " + r.callId() + ")").toList());
        }
        if (c.dead() > 0) {
            return new PartHealth(PartHealth.State.DEGRADED, c.dead() + " command(s) failed for good: see "
                    + "GET /api/outbox/dead, fix the cause, then POST /api/outbox/dead/{id}/retry", facts);
        }
        if (!atRisk.isEmpty()) {
            return new PartHealth(PartHealth.State.DEGRADED, atRisk.size() + " call(s) may be in the CRM twice (a lost "
                    + "register repeated past the box's 30 minutes): check the CRM, then POST "
                    + "/api/outbox/at-risk/{call}/dismiss (the b24bridge module's b24bridge.call.find avoids this)", facts);
        }
        if (behind.compareTo(BEHIND) > 0) {
            return new PartHealth(PartHealth.State.DEGRADED, "the CRM is " + behind.toMinutes() + " min behind: "
                    + "commands wait for the box (see the bitrix24 part)", facts);
        }
        return PartHealth.up(c.pending() + c.sending() == 0 ? "everything sent" : "sending", facts);
    }
}
