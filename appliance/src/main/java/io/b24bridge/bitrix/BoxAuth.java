package io.b24bridge.bitrix;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** How a request proves itself to the box: where it goes and what it carries (contract §1). */
sealed interface BoxAuth permits WebhookAuth, ApplicationAuth, ModuleAuth {

    /** The URL of a REST method. */
    URI methodUri(String method);

    /** Adds what the request needs to carry (the access token), or fails when there is nothing to carry. */
    void authorize(Params params, String method) throws BoxException;

    /** Called when the box said {@code expired_token}: renew, so one retry can succeed. False: cannot. */
    boolean renewAfterExpiry(String method) throws BoxException;

    /**
     * Renews the access token when it expires within {@code within} (the token-renewal job): Bitrix24's refresh token
     * lapses after 28 days unused, so an appliance with no call for a month would otherwise lose its application.
     *
     * @return one line saying what was done
     */
    default String renewAhead(Duration within) throws BoxException {
        return "nothing to renew (" + status().mode() + " auth)";
    }

    /** Whether an error code means "this token is dead, a new one may work" ({@link #renewAfterExpiry}). */
    default boolean renewsAfter(String code) {
        return ErrorClassifier.EXPIRED_TOKEN.equals(code);
    }

    /** For /health and the log: the mode and the state of the credentials (never the credentials). */
    AuthStatus status();

    /**
     * @param mode     {@code module}, {@code application} or {@code webhook}
     * @param state    {@code VALID}, {@code NOT_INSTALLED}, {@code REFRESH_FAILED}, {@code REFUSED}
     * @param detail   for a person: what is wrong and what to do
     * @param expiresAt when the access token expires (application mode), or null
     */
    record AuthStatus(String mode, String state, String detail, Instant expiresAt) {
    }
}
