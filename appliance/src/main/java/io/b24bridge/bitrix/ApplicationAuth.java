package io.b24bridge.bitrix;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.bitrix.auth.TokenStore;
import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;

/**
 * Local-application auth (the primary mode, contract §1): {@code auth=<access token>} on every request.
 * Tokens come from the install event, are stored encrypted, renewed at the token endpoint a few minutes
 * before they expire and whenever the box says {@code expired_token}; tokens later events carry are not taken
 * (they are the clicking user's). When renewal fails — an air-gapped box whose OAuth server is out of reach — the
 * state says so plainly and what to do.
 */
final class ApplicationAuth implements BoxAuth {

    private static final Logger LOG = Logger.getLogger(ApplicationAuth.class.getName());
    /** Renew this long before expiry, so no request goes out with a token about to die. */
    static final Duration RENEW_MARGIN = Duration.ofMinutes(5);

    /** How the token endpoint is reached (the box transport; a test may substitute it): a form POSTed to it. */
    interface TokenEndpoint {
        BoxTransport.RawResponse post(URI uri, String form) throws BoxException.Retryable;
    }

    private final URI base;
    private final ApplianceConfig.Application app;
    private final TokenStore store;
    private final TokenEndpoint endpoint;
    private final ObjectMapper mapper;
    private final Clock clock;
    private volatile String renewalFailure;
    private volatile Instant lastRenewal;

    ApplicationAuth(URI base, ApplianceConfig.Application app, TokenStore store, TokenEndpoint endpoint,
                    ObjectMapper mapper, Clock clock) {
        this.base = base;
        this.app = app;
        this.store = store;
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public URI methodUri(String method) {
        return URI.create(base + "/rest/" + method + ".json");
    }

    @Override
    public void authorize(Params params, String method) throws BoxException {
        Tokens t = store.current().orElseThrow(() -> store.unreadable()
                ? new BoxException.Auth(method, "KEY_MISMATCH", "the stored Bitrix24 tokens cannot be read with the "
                        + "token key: restore this database's key, or install the application again", null)
                : new BoxException.Auth(method, "NOT_INSTALLED", "the Bitrix24 local application is not installed "
                        + "yet: install it on the box so its install event reaches this appliance (docs/bitrix24.md)",
                        null));
        if (!t.expiresAt().isAfter(clock.instant().plus(RENEW_MARGIN))) {
            t = renew(t, method, false);
        }
        params.put("auth", t.accessToken().revealString());
    }

    @Override
    public boolean renewAfterExpiry(String method) throws BoxException {
        Optional<Tokens> t = store.current();
        if (t.isEmpty()) {
            return false;
        }
        renew(t.get(), method, true);
        return true;
    }

    @Override
    public String renewAhead(Duration within) throws BoxException {
        Optional<Tokens> t = store.current();
        if (t.isEmpty()) {
            return "nothing to renew: the application is not installed";
        }
        if (t.get().expiresAt().isAfter(clock.instant().plus(within))) {
            return "the access token is good until " + t.get().expiresAt();
        }
        Tokens renewed = renew(t.get(), "token-renewal", false);
        if (renewed.accessToken().equals(t.get().accessToken())) {
            // failed() kept the old token, which still works a while: the job's run is a failure all the same
            throw new BoxException.Auth("token-renewal", "REFRESH_FAILED", "the access token cannot be renewed: "
                    + renewalFailure, null);
        }
        return "access token renewed, good until " + renewed.expiresAt();
    }

    /** Tokens from the install event: everything is replaced, the application token too. */
    void installed(Tokens tokens) {
        store.save(tokens);
        renewalFailure = null;
        LOG.info(() -> "Bitrix24 application installed for " + printable(tokens.domain()) + " (member "
                + printable(tokens.memberId()) + ")");
    }

    /** A sender's value in a log line: control characters masked, cut at 80. */
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) : s;
        return cut.replaceAll("\\p{Cc}|\\p{Cf}", "?");
    }

    Optional<Tokens> tokens() {
        return store.current();
    }

    /**
     * Renews unless someone else already did since {@code stale} was read.
     *
     * @param refused the box already refused the token ({@code expired_token}): whatever our clock says, it is dead
     */
    private synchronized Tokens renew(Tokens stale, String method, boolean refused) throws BoxException {
        Tokens now = store.current().orElse(stale);
        if (!now.accessToken().equals(stale.accessToken())
                && now.expiresAt().isAfter(clock.instant().plus(RENEW_MARGIN))) {
            return now;
        }
        URI tokenEndpoint = tokenEndpoint(app, now);
        // in the body, not the query: a query string lands in every access log on the way (the OAuth server's,
        // a proxy's) with the client secret and the refresh token in it
        String form = "grant_type=refresh_token"
                + "&client_id=" + Params.enc(app.clientId())
                + "&client_secret=" + Params.enc(app.clientSecret().revealString())
                + "&refresh_token=" + Params.enc(now.refreshToken().revealString());
        BoxTransport.RawResponse res;
        try {
            res = endpoint.post(tokenEndpoint, form);
        } catch (BoxException.Retryable e) {
            return failed(now, refused, method, "the token endpoint " + tokenEndpoint + " cannot be reached ("
                    + e.getMessage().replaceFirst("^Bitrix24 [^:]+: ", "") + ")", e);
        }
        JsonNode body;
        try {
            body = mapper.readTree(res.body());
        } catch (IOException e) {
            return failed(now, refused, method, "the token endpoint " + tokenEndpoint + " answered HTTP "
                    + res.status() + " without JSON", e);
        }
        if (body == null || !body.hasNonNull("access_token") || !body.hasNonNull("refresh_token")) {
            String error = body == null ? "" : body.path("error").asText("") + " "
                    + body.path("error_description").asText("");
            return failed(now, refused, method, "the token endpoint " + tokenEndpoint + " refused the renewal (HTTP "
                    + res.status() + " " + error.strip() + ")", null);
        }
        Tokens renewed = new Tokens(Secret.of(body.get("access_token").asText()),
                Secret.of(body.get("refresh_token").asText()),
                clock.instant().plusSeconds(body.path("expires_in").asLong(3600)),
                now.applicationToken(),
                body.path("member_id").asText(now.memberId()),
                body.path("domain").asText(now.domain()),
                body.path("server_endpoint").asText(now.serverEndpoint()),
                body.path("client_endpoint").asText(now.clientEndpoint()),
                "refresh");
        store.save(renewed);
        lastRenewal = clock.instant();
        if (renewalFailure != null) {
            LOG.info("Bitrix24 access token renewed again after earlier failures");
        }
        renewalFailure = null;
        return renewed;
    }

    /** The OAuth servers of Bitrix (docs: oauth.bitrix.info; since box 25.550.100 oauth.bitrix24.tech for ru/CIS). */
    static final Set<String> BITRIX_OAUTH_HOSTS = Set.of("oauth.bitrix.info", "oauth.bitrix24.tech");

    /**
     * Where tokens are renewed: the configured token endpoint; else the OAuth server the install event named
     * ({@code auth[server_endpoint]}, e.g. {@code https://oauth.bitrix24.tech/rest/} → {@code
     * https://oauth.bitrix24.tech/oauth/token/}) when it is one of Bitrix's; else oauth.bitrix.info. A box serves no
     * {@code /oauth/token/} of its own (bitrix24-box-behaviour.md §0 item 3), and the client secret goes only to a
     * server Bitrix names or the administrator configured — never to one an event alone named.
     */
    static URI tokenEndpoint(ApplianceConfig.Application app, Tokens tokens) {
        if (app.tokenEndpoint().isPresent()) {
            return app.tokenEndpoint().get();
        }
        String named = tokens.serverEndpoint();
        if (named != null && !named.isBlank()) {
            try {
                URI server = URI.create(named.strip());
                if ("https".equals(server.getScheme()) && server.getHost() != null
                        && BITRIX_OAUTH_HOSTS.contains(server.getHost().toLowerCase(Locale.ROOT))) {
                    return server.resolve("/oauth/token/");
                }
            } catch (IllegalArgumentException e) {
                // not a URL: the default below
            }
            LOG.warning(() -> "the install event names the OAuth server " + named + ", which is not Bitrix's: tokens "
                    + "are renewed at " + ApplianceConfig.Application.DEFAULT_TOKEN_ENDPOINT + " unless "
                    + "bitrix24.application.token-endpoint says otherwise");
        }
        return ApplianceConfig.Application.DEFAULT_TOKEN_ENDPOINT;
    }

    /**
     * Renewal failed. A token that still works a little longer is used meanwhile; an expired one cannot be,
     * and the request fails with an auth error that keeps its work for later.
     */
    private Tokens failed(Tokens current, boolean refused, String method, String why, Throwable cause)
            throws BoxException.Auth {
        boolean first = renewalFailure == null;
        renewalFailure = why;
        if (first) {
            LOG.severe("Bitrix24 access token cannot be renewed: " + why + ". " + advice());
        }
        if (!refused && current.expiresAt().isAfter(clock.instant())) {
            return current;
        }
        throw new BoxException.Auth(method, "REFRESH_FAILED", "Bitrix24 access token expired and cannot be renewed: "
                + why, cause);
    }

    private static String advice() {
        return "Make Bitrix's OAuth server reachable from this appliance (bitrix24.application.token-endpoint names "
                + "it when it is not the one the install event named); a box without internet needs the b24bridge "
                + "module (bitrix24.auth: module, docs/box-module.md)";
    }

    @Override
    public AuthStatus status() {
        Optional<Tokens> t = store.current();
        if (t.isEmpty() && store.unreadable()) {
            return new AuthStatus("application", "KEY_MISMATCH", "the stored tokens cannot be read with the token "
                    + "key (storage.dir/keys/bitrix24-tokens.key is not this database's): put that database's key "
                    + "back and restart, or arm a reinstall (POST /api/bitrix24/install) and reinstall the application "
                    + "in Bitrix24; calls are kept meanwhile", null);
        }
        if (t.isEmpty()) {
            return new AuthStatus("application", "NOT_INSTALLED", "the local application is not installed on the "
                    + "box yet: install it there; its install event must reach the box listener", null);
        }
        if (renewalFailure != null) {
            return new AuthStatus("application", "REFRESH_FAILED", "the access token cannot be renewed: "
                    + renewalFailure + ". " + advice(), t.get().expiresAt());
        }
        Instant last = lastRenewal;
        return new AuthStatus("application", "VALID", "application tokens for " + t.get().domain()
                + (last == null ? "" : ", last renewed " + last), t.get().expiresAt());
    }
}
