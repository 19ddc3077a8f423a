package io.b24bridge.testkit.bitrix;

/**
 * How the box decides whom an application's access token acts for: the seam a deployment fills
 * ({@code rest:onRestCheckAuth}, rest/classes/general/rest_util.php:532-555: the first handler that answers wins).
 * A box with internet asks Bitrix's OAuth server ({@link CloudTokenValidator}); a box with the b24bridge module
 * checks the tokens it issued itself.
 */
interface TokenValidator {

    /** The user the token acts for; a {@link RestError} the box answers otherwise (and nothing runs). */
    int userOf(String accessToken);

    /** Forgets what was checked (the emulator's reset). */
    void reset();
}
