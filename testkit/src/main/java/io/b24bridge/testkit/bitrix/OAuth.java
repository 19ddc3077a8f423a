package io.b24bridge.testkit.bitrix;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The local application's side of auth (§1): its client id and secret, its application token (set at
 * install, proof that events come from this box), the access tokens it was given (expiring, default 3600 s)
 * and the refresh tokens that buy new pairs at {@code /oauth/token/}. Token look-up is a concurrent map read:
 * nothing on the REST hot path waits here.
 */
final class OAuth {

    /** Where the application's clients and the OAuth server are, as tokens and events name them. */
    record Endpoints(String domain, String clientEndpoint, String serverEndpoint) {
    }

    /** An answer of the token endpoint. */
    record TokenAnswer(int status, Map<String, Object> body) {
    }

    private record Access(String token, String refresh, int userId, Instant issuedAt, Instant expiresAt, String via) {
    }

    private record Refresh(String token, int userId, Instant expiresAt) {
    }

    static final String EXPIRED = "The access token provided has expired.";
    static final String INVALID = "The access token provided is invalid.";

    private static final SecureRandom RANDOM = new SecureRandom();

    final String clientId;
    final String clientSecret;
    final String memberId;
    final Set<String> scopes;
    private final Clock clock;
    private final Settings settings;
    private final Supplier<Endpoints> endpoints;
    private final ConcurrentHashMap<String, Access> access = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Refresh> refresh = new ConcurrentHashMap<>();
    private final Set<String> usedRefresh = ConcurrentHashMap.newKeySet();
    private volatile String applicationToken;
    private volatile boolean installed;

    OAuth(String clientId, String clientSecret, Set<String> scopes, Clock clock, Settings settings,
          Supplier<Endpoints> endpoints) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.memberId = random(16);
        this.scopes = Set.copyOf(scopes);
        this.clock = clock;
        this.settings = settings;
        this.endpoints = endpoints;
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    String principal() {
        return "app:" + clientId;
    }

    boolean installed() {
        return installed;
    }

    String applicationToken() {
        return applicationToken;
    }

    /** The install: a fresh application token (a reinstall changes it), events may flow from now on. */
    synchronized String install() {
        applicationToken = random(16);
        installed = true;
        return applicationToken;
    }

    synchronized void reset() {
        installed = false;
        applicationToken = null;
        access.clear();
        refresh.clear();
        usedRefresh.clear();
    }

    /** A new pair for {@code userId}, living as long as the settings say from now. */
    Tokens issue(int userId, String via) {
        prune();
        Instant now = clock.instant();
        Instant expires = now.plus(settings.tokenLifetime());
        String a = random(32);
        String r = random(32);
        access.put(a, new Access(a, r, userId, now, expires, via));
        refresh.put(r, new Refresh(r, userId, now.plus(settings.refreshLifetime())));
        return new Tokens(a, r, expires, userId);
    }

    /** The user an access token acts for; expired_token / invalid_token otherwise (§5.10). */
    int authenticate(String token) {
        Access a = access.get(token);
        if (a == null) {
            throw RestError.of("invalid_token", INVALID);
        }
        if (!clock.instant().isBefore(a.expiresAt())) {
            throw RestError.of("expired_token", EXPIRED);
        }
        return a.userId();
    }

    /**
     * {@code grant_type=refresh_token&client_id&client_secret&refresh_token}: a new pair; the refresh token is
     * spent (UNCONFIRMED: one use), the old access token lives out its time. Error bodies follow OAuth 2.0.
     */
    TokenAnswer refresh(Args p) {
        String grant = p.text("grant_type");
        if (!grant.equals("refresh_token")) {
            return error(400, "unsupported_grant_type", "Only grant_type=refresh_token is supported by this box");
        }
        if (!clientId.equals(p.text("client_id")) || !clientSecret.equals(p.text("client_secret"))) {
            return error(401, "invalid_client", "Invalid client credentials");
        }
        String token = p.text("refresh_token");
        Refresh r = refresh.get(token);
        if (r == null || usedRefresh.contains(token)) {
            return error(400, "invalid_grant", "Invalid refresh token");
        }
        if (!clock.instant().isBefore(r.expiresAt())) {
            return error(400, "expired_token", "The refresh token provided has expired.");
        }
        if (!usedRefresh.add(token)) {
            return error(400, "invalid_grant", "Invalid refresh token");
        }
        Tokens t = issue(r.userId(), "refresh");
        return new TokenAnswer(200, tokenBody(t));
    }

    private static TokenAnswer error(int status, String code, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("error_description", text);
        return new TokenAnswer(status, m);
    }

    /** The token endpoint's success body (the shape public integrations show). */
    Map<String, Object> tokenBody(Tokens t) {
        Endpoints e = endpoints.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("expires", t.expiresAt().getEpochSecond());
        m.put("expires_in", settings.tokenLifetime().toSeconds());
        m.put("scope", String.join(",", scopes));
        m.put("domain", e.domain());
        m.put("server_endpoint", e.serverEndpoint());
        m.put("status", "L");
        m.put("client_endpoint", e.clientEndpoint());
        m.put("member_id", memberId);
        m.put("user_id", t.userId());
        m.put("refresh_token", t.refreshToken());
        return m;
    }

    /** {@code auth[...]} of an event delivered to the application (§3): fresh tokens and the application token. */
    Map<String, Object> eventAuth(Tokens t) {
        Map<String, Object> m = tokenBody(t);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", m.get("access_token"));
        out.put("expires", m.get("expires"));
        out.put("expires_in", m.get("expires_in"));
        out.put("scope", m.get("scope"));
        out.put("domain", m.get("domain"));
        out.put("server_endpoint", m.get("server_endpoint"));
        out.put("status", m.get("status"));
        out.put("client_endpoint", m.get("client_endpoint"));
        out.put("member_id", m.get("member_id"));
        out.put("user_id", m.get("user_id"));
        out.put("refresh_token", m.get("refresh_token"));
        out.put("application_token", applicationToken);
        return out;
    }

    /** {@code auth[...]} of an event sent by an outbound webhook: no tokens, its authentication code. */
    Map<String, Object> webhookEventAuth(String code) {
        Endpoints e = endpoints.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", e.domain());
        out.put("client_endpoint", e.clientEndpoint());
        out.put("server_endpoint", e.serverEndpoint());
        out.put("member_id", memberId);
        out.put("application_token", code);
        return out;
    }

    /** Tokens issued, masked, newest last (for the state). */
    List<BoxState.TokenView> views() {
        Instant now = clock.instant();
        List<BoxState.TokenView> out = new ArrayList<>();
        for (Access a : access.values()) {
            out.add(new BoxState.TokenView(Masking.token(a.token()), Masking.token(a.refresh()), a.userId(),
                    a.issuedAt(), a.expiresAt(), a.via(), !now.isBefore(a.expiresAt()), usedRefresh.contains(a.refresh())));
        }
        out.sort(Comparator.comparing(BoxState.TokenView::issuedAt));
        return out;
    }

    /** Forgets tokens long dead, so a sandbox running for weeks does not grow without end. */
    private void prune() {
        if (access.size() < 1000) {
            return;
        }
        Instant cutoff = clock.instant().minus(java.time.Duration.ofDays(1));
        access.values().removeIf(a -> a.expiresAt().isBefore(cutoff));
        refresh.values().removeIf(r -> r.expiresAt().isBefore(cutoff));
    }
}
