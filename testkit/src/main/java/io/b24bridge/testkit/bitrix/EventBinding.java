package io.b24bridge.testkit.bitrix;

import java.time.Instant;

/**
 * A handler the box POSTs an event to (§3): bound by the application with {@code event.bind}, or an outbound
 * webhook configured on the box (its events carry the webhook's authentication code as
 * {@code auth[application_token]} and no access tokens).
 */
public record EventBinding(int id, String event, String handler, String authType, Kind kind, int userId,
                           Instant boundAt) {

    public enum Kind {
        APPLICATION,
        OUTBOUND_WEBHOOK
    }
}
