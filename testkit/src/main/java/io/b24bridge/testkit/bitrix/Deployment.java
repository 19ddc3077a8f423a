package io.b24bridge.testkit.bitrix;

import java.util.Locale;

/**
 * Where the emulated box stands, which decides how application auth and events work. Box 26.250 depends on
 * Bitrix's OAuth server for both (bitrix24-box-internals.md §0 items 3–5):
 * <ul>
 * <li>{@link #CLOUD_CONNECTED}: the box reaches the OAuth server. Each new access token is checked there
 * ({@code rest.check}, then cached by the box for an hour: {@code rest/lib/oauth/auth.php:239-293},
 * {@code storagecache.php}); tokens are issued and renewed there ({@code /oauth/token/} on the OAuth server, never
 * on the box); events go to Bitrix's cloud queue ({@code rest.event.call}: {@code rest/lib/event/sender.php:378-381},
 * {@code provideroauth.php:49}) and are POSTed to the handler by the queue's own servers — no client
 * certificate, one attempt, no retry.</li>
 * <li>{@link #AIR_GAPPED}: the OAuth server cannot be reached. Every application call whose token the box has not
 * checked within the hour answers 401 {@code CONNECTION_ERROR} "Error connecting to authorization server"
 * ({@code auth.php:79-83,250-253}), a renewal cannot connect, no event is delivered (install included).</li>
 * <li>{@link #WITH_MODULE}: an air-gapped box with the b24bridge module ({@code box-module/}): the module issues
 * and checks the b24bridge application's tokens itself ({@link ConnectorModule}, its token endpoint on the box),
 * keeps that application's events in a queue the appliance pulls, and adds the {@code b24bridge.*} methods; every
 * other token and event still meets the unreachable OAuth server, as on an air-gapped box.</li>
 * </ul>
 * Inbound webhooks are checked on the box itself ({@code rest/lib/apauth/auth.php}) and work in all three.
 * A deployment is a pair of seams — a {@link TokenValidator} and an {@link EventSender} — chosen once when the
 * emulator is built; the first two share them (the OAuth server is reachable or not) and can be switched while it
 * runs, as a box that loses its internet keeps the tokens it checked in the last hour; {@code with-module} is
 * chosen when the emulator is built and stays.
 */
public enum Deployment {
    CLOUD_CONNECTED,
    AIR_GAPPED,
    WITH_MODULE;

    static Deployment parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "cloud-connected", "cloud", "connected" -> CLOUD_CONNECTED;
            case "air-gapped", "airgapped", "offline" -> AIR_GAPPED;
            case "with-module", "module" -> WITH_MODULE;
            default -> throw new IllegalArgumentException("deployment must be cloud-connected, air-gapped or "
                    + "with-module: " + s);
        };
    }

    /** {@code cloud-connected} / {@code air-gapped} / {@code with-module}, as flags and the control API spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the box reaches Bitrix's OAuth server (and so its cloud event queue). */
    boolean reachesOAuthServer() {
        return this == CLOUD_CONNECTED;
    }
}
