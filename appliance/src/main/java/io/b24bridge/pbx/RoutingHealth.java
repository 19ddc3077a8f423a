package io.b24bridge.pbx;

import java.util.LinkedHashMap;
import java.util.Map;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;
import io.b24bridge.routing.RoutingService;

/**
 * The routing part of {@code /health}: where the FastAGI listener is, how many calls it routed and from what
 * (cache, CRM, route defaults), how long its answers took, and whether it currently answers without waiting
 * for the CRM because the box failed lately (DEGRADED: calls go to the routes' defaults and fallbacks).
 */
public final class RoutingHealth implements HealthPart {

    private final FastAgiServer server;
    private final RoutingService routing;

    public RoutingHealth(FastAgiServer server, RoutingService routing) {
        this.server = server;
        this.routing = routing;
    }

    @Override
    public String name() {
        return "routing";
    }

    @Override
    public PartHealth check() {
        RoutingService.RoutingStats.Snapshot s = routing.stats();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("fastAgi", server.host() + ":" + server.port());
        facts.put("fastAgiRefused", server.refused());
        facts.put("answers", s.answers());
        Map<String, Object> bySource = new LinkedHashMap<>();
        s.bySource().forEach((k, v) -> bySource.put(k.name(), v));
        facts.put("decisionsBySource", bySource);
        facts.put("answerMedianMs", Math.round(s.medianAnswerNanos() / 10_000.0) / 100.0);
        facts.put("answerP99Ms", Math.round(s.p99AnswerNanos() / 10_000.0) / 100.0);
        if (routing.crmAway()) {
            return new PartHealth(PartHealth.State.DEGRADED, "Bitrix24 did not answer routing's last question in "
                    + "time: calls go by the cache and the routes' defaults until it does", facts);
        }
        return PartHealth.up("FastAGI answers on " + server.host() + ":" + server.port(), facts);
    }
}
