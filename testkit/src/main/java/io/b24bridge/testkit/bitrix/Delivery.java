package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event (or install) the box POSTed to a handler, with every attempt and what the handler answered.
 *
 * @param status {@code PENDING}, {@code DELIVERED} (a 2xx answer) or {@code FAILED} (every attempt failed)
 * @param form   the form fields sent, secrets masked
 */
public record Delivery(int id, String event, String handler, Integer bindingId, String kind, Instant createdAt,
                       String status, List<Attempt> attempts, Map<String, Object> form) {

    /** One POST: the handler's HTTP status (0 when no answer) or the transport error, and its answer. */
    public record Attempt(Instant at, int status, String error, String answer, long millis) {
    }

    public boolean delivered() {
        return "DELIVERED".equals(status);
    }
}
