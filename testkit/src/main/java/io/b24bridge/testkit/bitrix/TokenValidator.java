package io.b24bridge.testkit.bitrix;

import java.util.Set;

/**
 * How the box decides whom an application's access token acts for: the seam a deployment fills
 * ({@code rest:onRestCheckAuth}, rest/classes/general/rest_util.php:532-555: the first handler that answers wins).
 * A box with internet asks Bitrix's OAuth server ({@link CloudTokenValidator}); a box with the b24bridge module
 * checks the tokens it issued itself.
 */
interface TokenValidator {

    /**
     * What a valid token grants: the user it acts for, and its scopes (null: the application's, as the OAuth
     * server's tokens carry them).
     */
    record Grant(int userId, Set<String> scopes) {
    }

    /**
     * What the token grants; a {@link RestError} the box answers otherwise (and nothing runs).
     *
     * @param clientDn the subject of the request's verified client certificate (RFC 2253), null without one
     */
    Grant check(String accessToken, String clientDn);

    /** Forgets what was checked (the emulator's reset). */
    void reset();
}
