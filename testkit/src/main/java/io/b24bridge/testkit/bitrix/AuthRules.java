package io.b24bridge.testkit.bitrix;

import java.util.Locale;

/**
 * Which methods refuse an inbound webhook ({@code WRONG_AUTH_TYPE}, HTTP 403). Box 26.250's source and the REST
 * docs disagree; the source is what a box of that version does, the docs are kept testable as a switch.
 * <ul>
 * <li>{@link #SOURCE} (default): register, finish and telephony.externalLine.* accept OAuth <em>or</em> a webhook
 * ({@code voximplant/classes/general/vi_rest.php:1613-1615,1717-1719,1953-1956}); show, hide, attachRecord and
 * searchCrmEntities have no auth-type check at all (vi_rest.php:1586-1600,1783-1842); no public version of
 * the source refuses webhooks for telephony.</li>
 * <li>{@link #DOCS}: as the docs say ("works only in the context of an application"): register, finish and
 * telephony.externalLine.* refuse webhooks. Useful to prove a client survives a box that behaves so.</li>
 * </ul>
 * In both, {@code event.*} refuse webhooks ({@code rest/lib/api/event.php:156-159}: OAuth only on every box).
 */
public enum AuthRules {
    SOURCE,
    DOCS;

    static AuthRules parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "source" -> SOURCE;
            case "docs", "docs-strict" -> DOCS;
            default -> throw new IllegalArgumentException("auth rules must be source or docs: " + s);
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
