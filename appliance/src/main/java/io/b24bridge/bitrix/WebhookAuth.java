package io.b24bridge.bitrix;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.b24bridge.config.ApplianceConfig;

/**
 * Inbound-webhook auth: the secret travels in the URL path, {@code /rest/USER_ID/SECRET/method.json}. Needs
 * no OAuth server; box 26.250 takes it for the telephony methods by its source, the docs say a box may refuse it
 * ({@code WRONG_AUTH_TYPE}): such refusals are shown per method.
 * The URL is never logged.
 */
final class WebhookAuth implements BoxAuth {

    private final URI base;
    private final ApplianceConfig.Webhook webhook;
    /** The methods the box refused webhook auth for, and why: until each succeeds again. */
    private final Map<String, String> refusals = new ConcurrentHashMap<>();

    WebhookAuth(URI base, ApplianceConfig.Webhook webhook) {
        this.base = base;
        this.webhook = webhook;
    }

    @Override
    public URI methodUri(String method) {
        return URI.create(base + "/rest/" + webhook.userId() + "/" + Params.enc(webhook.secret().revealString())
                + "/" + method + ".json");
    }

    @Override
    public void authorize(Params params, String method) {
        // the path carries the secret
    }

    @Override
    public boolean renewAfterExpiry(String method) {
        return false;
    }

    /**
     * The box refused the webhook for {@code method} (WRONG_AUTH_TYPE): shown by /health until that method succeeds
     * again — another method's success says nothing about it (a box takes webhooks for some methods, not others).
     */
    void refused(String method, String why) {
        refusals.put(method, why);
    }

    void accepted(String method) {
        refusals.remove(method);
    }

    @Override
    public AuthStatus status() {
        String r = refusals.values().stream().findFirst().orElse(null);
        return r == null
                ? new AuthStatus("webhook", "VALID", "inbound webhook of user " + webhook.userId(), null)
                : new AuthStatus("webhook", "REFUSED", r + ". This box takes those methods only from an "
                        + "application: switch bitrix24.auth to application, or on a box without internet to module "
                        + "(docs/bitrix24.md)", null);
    }
}
