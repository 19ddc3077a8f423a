package io.b24bridge.testkit.bitrix;

import java.util.Set;

/**
 * Who called a REST method, as the box's auth layer established it.
 *
 * @param principal   the rate-limit and re-registration key: the application ({@code app:<client_id>}) or the
 *                    webhook ({@code webhook:<user>})
 * @param accessToken the application's token (for the uploadUrl it hands out), null for a webhook
 */
record Caller(Kind kind, int userId, String principal, Set<String> scopes, String accessToken) {

    enum Kind {
        APPLICATION,
        WEBHOOK
    }

    boolean webhook() {
        return kind == Kind.WEBHOOK;
    }
}
