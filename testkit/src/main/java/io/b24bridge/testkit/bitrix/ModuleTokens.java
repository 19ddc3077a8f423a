package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The b24bridge module's tokens (box-module {@code Auth\TokenStore}): {@code b24b1.} and 256 random bits, kept only
 * as a SHA-256; access tokens live an hour, refresh tokens 30 days and work once. Expired tokens are kept a day so
 * that their use answers {@code expired_token} rather than {@code invalid_token}.
 */
final class ModuleTokens {

    static final String PREFIX = "b24b1.";
    static final long ACCESS_TTL = 3600;
    static final long REFRESH_TTL = 30L * 86400;
    private static final long KEEP_EXPIRED = 86400;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token the module issued: access ({@code A}) or refresh ({@code R}). */
    record Record(char kind, int userId, String scope, long expires) {
    }

    /** A pair just issued; {@code refreshToken} null when none was asked for. */
    record Issued(String accessToken, String refreshToken, long expires, int userId, String scope) {
    }

    private final Clock clock;
    private final Map<String, Record> byHash = new ConcurrentHashMap<>();

    ModuleTokens(Clock clock) {
        this.clock = clock;
    }

    Issued issue(int userId, String scope, boolean withRefresh) {
        long now = clock.instant().getEpochSecond();
        byHash.values().removeIf(r -> r.expires() < now - KEEP_EXPIRED);
        String access = newToken();
        byHash.put(hash(access), new Record('A', userId, scope, now + ACCESS_TTL));
        String refresh = null;
        if (withRefresh) {
            refresh = newToken();
            byHash.put(hash(refresh), new Record('R', userId, scope, now + REFRESH_TTL));
        }
        return new Issued(access, refresh, now + ACCESS_TTL, userId, scope);
    }

    /** The access token's record, expired or not; null when the module never issued it (or revoked it). */
    Record findAccess(String token) {
        Record r = byHash.get(hash(token));
        return r != null && r.kind() == 'A' ? r : null;
    }

    /** Uses a refresh token up: its record when it was valid and unused, else null. */
    Record redeemRefresh(String token) {
        String h = hash(token);
        Record r = byHash.get(h);
        if (r == null || r.kind() != 'R' || r.expires() <= clock.instant().getEpochSecond()) {
            return null;
        }
        return byHash.remove(h, r) ? r : null;
    }

    boolean expired(Record r) {
        return r.expires() <= clock.instant().getEpochSecond();
    }

    void revokeAll() {
        byHash.clear();
    }

    int count() {
        return byHash.size();
    }

    private static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
