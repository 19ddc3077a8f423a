package io.b24bridge.bitrix;

import java.net.URI;

import io.b24bridge.config.ApplianceConfig;

/**
 * Inbound-webhook auth: the secret travels in the URL path, {@code /rest/USER_ID/SECRET/method.json}. Needs
 * no OAuth server, but current boxes refuse it for telephony methods ({@code WRONG_AUTH_TYPE}, contract §1).
 * The URL is never logged.
 */
final class WebhookAuth implements BoxAuth {

    private final URI base;
    private final ApplianceConfig.Webhook webhook;
    private volatile String refusal;

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

    /** The box refused the webhook (e.g. WRONG_AUTH_TYPE): shown by /health until a call succeeds again. */
    void refused(String why) {
        refusal = why;
    }

    void accepted() {
        refusal = null;
    }

    @Override
    public AuthStatus status() {
        String r = refusal;
        return r == null
                ? new AuthStatus("webhook", "VALID", "inbound webhook of user " + webhook.userId(), null)
                : new AuthStatus("webhook", "REFUSED", r + ". Boxes of current versions accept telephony "
                        + "methods only from an application: switch bitrix24.auth to application "
                        + "(docs/bitrix24.md)", null);
    }
}
