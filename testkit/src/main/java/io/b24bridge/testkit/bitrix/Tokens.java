package io.b24bridge.testkit.bitrix;

import java.time.Instant;

/** An access/refresh token pair the emulated box issued (install, refresh, an event, or a test's request). */
public record Tokens(String accessToken, String refreshToken, Instant expiresAt, int userId) {

    @Override
    public String toString() {
        // never print tokens, even in a test report
        return "Tokens[user=" + userId + ", expiresAt=" + expiresAt + "]";
    }
}
