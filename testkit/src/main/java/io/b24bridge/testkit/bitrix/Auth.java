package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling (§1): an inbound webhook ({@code /rest/<user>/<secret>/method}, rights = its scopes, acting as
 * its user; checked on the box itself, rest/lib/apauth/auth.php) or the application ({@code auth=<access token>},
 * checked by the deployment's {@link TokenValidator}). No auth at all is NO_AUTH_FOUND.
 */
final class Auth {

    /** A seeded inbound webhook. */
    record Webhook(int userId, String secret, Set<String> scopes) {
    }

    static final Set<String> ALL_SCOPES = Set.of("crm", "telephony", "user", "task", "placement", "im");

    private final ConcurrentHashMap<String, Webhook> webhooks = new ConcurrentHashMap<>();
    private final Application app;
    private final TokenValidator tokens;

    Auth(Application app, TokenValidator tokens) {
        this.app = app;
        this.tokens = tokens;
    }

    Webhook addWebhook(int userId, String secret, Set<String> scopes) {
        if (secret == null || secret.isBlank()) {
            secret = Application.random(8);
        }
        Webhook w = new Webhook(userId, secret, Set.copyOf(scopes.isEmpty() ? ALL_SCOPES : scopes));
        webhooks.put(secret, w);
        return w;
    }

    void clearWebhooks() {
        webhooks.clear();
    }

    /** The webhook whose path this is; INVALID_CREDENTIALS when the secret or its user is wrong. */
    Caller webhook(String userSegment, String secret) {
        Webhook w = webhooks.get(secret);
        // compare the user part too, in constant time like the secret look-up's purpose deserves
        if (w == null || !MessageDigest.isEqual(String.valueOf(w.userId()).getBytes(StandardCharsets.UTF_8),
                userSegment.getBytes(StandardCharsets.UTF_8))) {
            throw RestError.of("INVALID_CREDENTIALS", "Invalid request credentials");
        }
        return new Caller(Caller.Kind.WEBHOOK, w.userId(), "webhook:" + w.userId(), w.scopes(), null, w.secret());
    }

    /**
     * The application's caller for an access token; the validator's refusal otherwise.
     *
     * @param clientDn the subject of the request's verified client certificate, null without one
     */
    Caller application(String token, String clientDn) {
        TokenValidator.Grant grant = tokens.check(token, clientDn);
        return new Caller(Caller.Kind.APPLICATION, grant.userId(), app.principal(),
                grant.scopes() == null ? app.scopes : grant.scopes(), token, null);
    }

    List<BoxState.WebhookView> views() {
        List<BoxState.WebhookView> out = new ArrayList<>();
        for (Webhook w : webhooks.values()) {
            out.add(new BoxState.WebhookView(w.userId(), Masking.token(w.secret()), List.copyOf(w.scopes())));
        }
        out.sort(Comparator.comparingInt(BoxState.WebhookView::userId));
        return out;
    }
}
