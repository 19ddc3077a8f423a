package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Bitrix\Rest\OAuth\Auth} of box 26.250 (rest/lib/oauth/auth.php:68-293): a token is looked up in the
 * box's cache first ({@code StorageCache}, kept 3600 s from when it was stored: storagecache.php:10,36); a token
 * not there is sent to the OAuth server ({@code rest.check}) and the answer — a good token or the server's error —
 * is cached. An expired token is {@code expired_token} even from the cache (auth.php:127-131). When the server
 * cannot be reached the check has no client_id and the box answers 401 {@code CONNECTION_ERROR} "Error connecting
 * to authorization server" (auth.php:79-83, 286-289), and caches nothing.
 */
final class CloudTokenValidator implements TokenValidator {

    static final Duration CACHE_TTL = Duration.ofSeconds(3600);
    static final String CONNECTION_ERROR_TEXT = "Error connecting to authorization server";

    private record Cached(OAuthServer.Check check, Instant storedAt) {
    }

    private final OAuthServer server;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    CloudTokenValidator(OAuthServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    @Override
    public Grant check(String accessToken, String clientDn) {
        Instant now = clock.instant();
        Cached c = cache.get(accessToken);
        if (c == null || !now.isBefore(c.storedAt().plus(CACHE_TTL))) {
            if (!server.reachable()) {
                throw RestError.of("CONNECTION_ERROR", CONNECTION_ERROR_TEXT);
            }
            prune(now);
            c = new Cached(server.check(accessToken), now);
            cache.put(accessToken, c);
        }
        OAuthServer.Check check = c.check();
        if (!check.ok()) {
            throw RestError.of(check.error(), check.description());
        }
        if (!now.isBefore(check.expiresAt())) {
            throw RestError.of("expired_token", OAuthServer.EXPIRED);
        }
        return new Grant(check.userId(), null);
    }

    @Override
    public void reset() {
        cache.clear();
    }

    private void prune(Instant now) {
        if (cache.size() >= 1000) {
            cache.values().removeIf(x -> !now.isBefore(x.storedAt().plus(CACHE_TTL)));
        }
    }
}
