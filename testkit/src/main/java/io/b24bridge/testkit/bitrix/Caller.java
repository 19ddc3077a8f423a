package io.b24bridge.testkit.bitrix;

import java.util.Set;

/**
 * Who called a REST method, as the box's auth layer established it.
 *
 * @param principal   the rate-limit and re-registration key: the application ({@code app:<client_id>}) or the
 *                    webhook ({@code webhook:<user>})
 * @param accessToken   the application's token (for the uploadUrl it hands out), null for a webhook
 * @param webhookSecret the webhook's secret (its uploadUrl is on the webhook's path), null for the application
 */
record Caller(Kind kind, int userId, String principal, Set<String> scopes, String accessToken, String webhookSecret) {

    enum Kind {
        APPLICATION,
        WEBHOOK
    }

    boolean webhook() {
        return kind == Kind.WEBHOOK;
    }

    /**
     * The box's REST_APP_ID for what this caller registers and owns (calls, lines): the application; every inbound
     * webhook alike, since a webhook has no application (its REST_APP_ID is null, vi_rest.php:1641-1643).
     */
    String owner() {
        return webhook() ? "webhook" : principal;
    }
}
