package io.b24bridge.bitrix.auth;

import java.time.Instant;

import io.b24bridge.config.Secret;

/**
 * The local application's credentials on the box (contract §1): the access token (about an hour), the
 * refresh token that renews it, and the application token that proves events come from the box.
 *
 * @param source where they came from: {@code install}, {@code refresh} or {@code event}
 */
public record Tokens(Secret accessToken, Secret refreshToken, Instant expiresAt, Secret applicationToken,
                     String memberId, String domain, String serverEndpoint, String clientEndpoint,
                     String source) {

    public Tokens withApplicationToken(Secret token) {
        return new Tokens(accessToken, refreshToken, expiresAt, token, memberId, domain, serverEndpoint,
                clientEndpoint, source);
    }
}
