package io.b24bridge.bitrix;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The b24bridge module's state as {@code b24bridge.status} last told it (the keep-alive asks every half minute):
 * its version, armed or not, the events waiting in its queue and the oldest of them, when the appliance last
 * pulled. For /health and {@code doctor}.
 */
public final class ModuleStatus {

    private volatile JsonNode last;
    private volatile Instant checkedAt;

    void update(JsonNode status) {
        last = status;
        checkedAt = Instant.now();
    }

    /** The last answer, or null before the first. */
    public JsonNode last() {
        return last;
    }

    /** The facts /health shows: the module's own keys, and when they were read. */
    public Map<String, Object> facts() {
        JsonNode s = last;
        Map<String, Object> m = new LinkedHashMap<>();
        if (s == null) {
            m.put("checkedAt", null);
            return m;
        }
        m.put("version", s.path("version").asText(null));
        m.put("state", s.path("state").asText(null));
        m.put("queueDepth", s.path("queue_depth").asInt());
        JsonNode oldest = s.path("oldest_undelivered");
        if (oldest.isObject()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", oldest.path("id").asLong());
            o.put("event", oldest.path("event").asText());
            o.put("queuedAt", oldest.path("queued_at").asText());
            o.put("ageSeconds", oldest.path("age_seconds").asLong());
            o.put("deliveries", oldest.path("deliveries").asInt());
            m.put("oldestUndelivered", o);
        } else {
            m.put("oldestUndelivered", null);
        }
        m.put("ackedThrough", s.path("acked_through").asLong());
        m.put("lastPullAt", s.path("last_pull_at").asText(null));
        m.put("checkedAt", checkedAt.toString());
        return m;
    }
}
