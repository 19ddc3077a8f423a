package io.b24bridge.bitrix;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The bitrix24 part of {@code /health}: is the box reachable, do the credentials work, what was the last
 * error, at what rate does the client send. A box that is away is DOWN for this part, yet the appliance as a
 * whole goes on (calls queue up and are delivered later), so the part is not critical.
 */
public final class BoxHealth implements HealthPart {

    /** A success this recent counts as "reachable" even when no request went out since. */
    private static final Duration FRESH = Duration.ofMinutes(2);
    /** A request the box's web server turned away keeps the part DEGRADED this long (it is retried meanwhile). */
    private static final Duration REFUSAL_ALARM = Duration.ofHours(1);

    private final BoxClient client;
    private final String url;
    private final ModuleStatus module;

    /** @param module the b24bridge module's state (module mode), or null */
    public BoxHealth(BoxClient client, String url, ModuleStatus module) {
        this.client = client;
        this.url = url;
        this.module = module;
    }

    @Override
    public String name() {
        return "bitrix24";
    }

    @Override
    public PartHealth check() {
        BoxClient.Status s = client.status();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("url", url);
        facts.put("authMode", s.auth().mode());
        facts.put("authState", s.auth().state());
        if (s.auth().expiresAt() != null) {
            facts.put("accessTokenExpiresAt", s.auth().expiresAt().toString());
        }
        facts.put("lastSuccessAt", s.lastSuccess() == null ? null : s.lastSuccess().toString());
        if (s.lastFailure() != null) {
            facts.put("lastError", Map.of("at", s.lastFailure().at().toString(), "method", s.lastFailure().method(),
                    "code", s.lastFailure().code(), "message", s.lastFailure().message()));
        }
        if (s.lastRefusal() != null) {
            facts.put("lastRefusedByWebServer", Map.of("at", s.lastRefusal().at().toString(), "method",
                    s.lastRefusal().method(), "code", s.lastRefusal().code()));
        }
        facts.put("requests", s.requests());
        facts.put("failures", s.failures());
        facts.put("allowedRatePerSecond", s.allowedRatePerSecond());
        facts.values().removeIf(Objects::isNull);
        if (module != null) {
            facts.put("module", module.facts());
        }

        if (!"VALID".equals(s.auth().state())) {
            return PartHealth.down(s.auth().detail(), facts);
        }
        boolean failedLast = s.lastFailure() != null
                && (s.lastSuccess() == null || s.lastFailure().at().isAfter(s.lastSuccess()));
        if (failedLast) {
            return PartHealth.down("the last request failed: " + s.lastFailure().message(), facts);
        }
        if (s.lastSuccess() == null) {
            return new PartHealth(PartHealth.State.DEGRADED, "no request has reached the box yet", facts);
        }
        if (s.lastRefusal() != null && Duration.between(s.lastRefusal().at(), Instant.now()).compareTo(REFUSAL_ALARM) < 0) {
            // the box answers, but its web server turned a request away (F8): it waits for an operator's fix
            return new PartHealth(PartHealth.State.DEGRADED, s.lastRefusal().message(), facts);
        }
        boolean fresh = Duration.between(s.lastSuccess(), Instant.now()).compareTo(FRESH) < 0;
        return PartHealth.up(fresh ? "reachable, credentials valid" : "credentials valid; last answer "
                + s.lastSuccess(), facts);
    }
}
