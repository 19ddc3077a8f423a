package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bitrix's OAuth server ({@code oauth.bitrix.info}) as far as one box's local application meets it: it issues the
 * access tokens (1 h) and refresh tokens (180 days, docs settings/oauth/index.md), renews them at its
 * {@code /oauth/token/} (the box serves no such endpoint: rest/lib/integration/oauthmodule.php), answers the
 * box's {@code rest.check} for a token it has not seen, and mints the {@code auth[...]} block of events the cloud
 * queue delivers. It runs on its own port; whether the box can reach it is the {@link Deployment} (and the OAuth
 * fault). Token look-up is a concurrent map read: nothing on the REST hot path waits here.
 */
final class OAuthServer {

    /** Where the box's REST and the OAuth server are, as token answers and events name them. */
    record Endpoints(String boxDomain, String oauthDomain, String clientEndpoint, String serverEndpoint) {
    }

    /** An answer of the token endpoint. */
    record TokenAnswer(int status, Map<String, Object> body) {
    }

    /** What {@code rest.check} tells the box about a token: its user and expiry, or the server's error. */
    record Check(int userId, Instant expiresAt, String error, String description) {

        boolean ok() {
            return error == null;
        }
    }

    private record Access(String token, String refresh, int userId, Instant issuedAt, Instant expiresAt, String via) {
    }

    private record Refresh(String token, int userId, Instant expiresAt) {
    }

    static final String EXPIRED = "The access token provided has expired";
    static final String INVALID = "The access token provided is invalid.";

    private final Application app;
    private final Clock clock;
    private final Settings settings;
    private final Supplier<Endpoints> endpoints;
    private final BooleanSupplier reachable;
    private final ConcurrentHashMap<String, Access> access = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Refresh> refresh = new ConcurrentHashMap<>();
    private final Set<String> usedRefresh = ConcurrentHashMap.newKeySet();

    /** @param reachable whether the box can reach this server now (deployment and OAuth fault) */
    OAuthServer(Application app, Clock clock, Settings settings, Supplier<Endpoints> endpoints,
                BooleanSupplier reachable) {
        this.app = app;
        this.clock = clock;
        this.settings = settings;
        this.endpoints = endpoints;
        this.reachable = reachable;
    }

    /** Whether the box can reach this server now. */
    boolean reachable() {
        return reachable.getAsBoolean();
    }

    synchronized void reset() {
        access.clear();
        refresh.clear();
        usedRefresh.clear();
    }

    /** A new pair for {@code userId}, living as long as the settings say from now. */
    Tokens issue(int userId, String via) {
        prune();
        Instant now = clock.instant();
        Instant expires = now.plus(settings.tokenLifetime());
        String a = Application.random(32);
        String r = Application.random(32);
        access.put(a, new Access(a, r, userId, now, expires, via));
        refresh.put(r, new Refresh(r, userId, now.plus(settings.refreshLifetime())));
        return new Tokens(a, r, expires, userId);
    }

    /** {@code rest.check}: the token's user and expiry; an unknown token is {@code invalid_token}. */
    Check check(String token) {
        Access a = access.get(token);
        if (a == null) {
            return new Check(0, null, "invalid_token", INVALID);
        }
        return new Check(a.userId(), a.expiresAt(), null, null);
    }

    /**
     * {@code grant_type=refresh_token&client_id&client_secret&refresh_token}: a new pair; the refresh token is
     * spent (UNDOCUMENTED: the docs say to keep the new one instead), the old access token lives out its time. An
     * unknown, spent or expired refresh token is {@code invalid_grant} (docs: "If refresh_token has expired, go
     * through the authorization again").
     */
    TokenAnswer refresh(Args p) {
        String grant = p.text("grant_type");
        if (!grant.equals("refresh_token")) {
            return error(400, "invalid_request", "Only grant_type=refresh_token is supported here");
        }
        if (!app.clientId.equals(p.text("client_id")) || !app.clientSecret.equals(p.text("client_secret"))) {
            return error(401, "invalid_client", "Invalid client credentials");
        }
        String token = p.text("refresh_token");
        Refresh r = refresh.get(token);
        if (r == null || !clock.instant().isBefore(r.expiresAt()) || !usedRefresh.add(token)) {
            return error(400, "invalid_grant", "Invalid grant");
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

    /** The token endpoint's success body; {@code domain} is the OAuth server's own (docs: oauth.bitrix.info). */
    Map<String, Object> tokenBody(Tokens t) {
        Endpoints e = endpoints.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("expires", t.expiresAt().getEpochSecond());
        m.put("expires_in", settings.tokenLifetime().toSeconds());
        m.put("scope", String.join(",", new java.util.TreeSet<>(app.scopes)));
        m.put("domain", e.oauthDomain());
        m.put("server_endpoint", e.serverEndpoint());
        m.put("status", "L");
        m.put("client_endpoint", e.clientEndpoint());
        m.put("member_id", app.memberId);
        m.put("user_id", t.userId());
        m.put("refresh_token", t.refreshToken());
        return m;
    }

    /**
     * {@code auth[...]} of an event the cloud queue delivers to the application, keys as the docs' examples
     * (events/index.md, _includes/auth-params-in-events.md): tokens only when the event is tied to a user
     * ({@code tokens} null: a website visitor's callback form), a refresh token only for the events that ask for
     * it (OnAppInstall; rest/lib/event/sender.php:41-45,127-130); the application token always.
     */
    Map<String, Object> eventAuth(Tokens tokens, boolean withRefresh, String applicationToken) {
        Endpoints e = endpoints.get();
        Map<String, Object> out = new LinkedHashMap<>();
        if (tokens != null) {
            out.put("access_token", tokens.accessToken());
            out.put("expires_in", String.valueOf(settings.tokenLifetime().toSeconds()));
            out.put("scope", String.join(",", new java.util.TreeSet<>(app.scopes)));
        }
        out.put("domain", e.boxDomain());
        out.put("server_endpoint", e.serverEndpoint());
        out.put("status", "L");
        out.put("client_endpoint", e.clientEndpoint());
        out.put("member_id", app.memberId);
        if (tokens != null && withRefresh) {
            out.put("refresh_token", tokens.refreshToken());
        }
        out.put("application_token", applicationToken);
        return out;
    }

    /** {@code auth[...]} of an event sent for an outbound webhook: no tokens, its authentication code. */
    Map<String, Object> webhookEventAuth(String code) {
        Endpoints e = endpoints.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", e.boxDomain());
        out.put("client_endpoint", e.clientEndpoint());
        out.put("server_endpoint", e.serverEndpoint());
        out.put("member_id", app.memberId);
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
