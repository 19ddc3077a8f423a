package io.b24bridge.bitrix;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;

/**
 * Auth through the b24bridge module on the box (docs/box-module.md): tokens from the module's token endpoint, over
 * the same mutual-TLS connection as REST, in exchange for the credential the module showed at its install
 * ({@code client_credentials}); renewed with the refresh token a few minutes before they expire (a refresh token
 * works once; a refused one falls back to the credential), and at once when the box says {@code expired_token} or
 * {@code invalid_token} (the administrator disarmed and armed the module: every token it issued is revoked). Nothing
 * of this needs the internet. Tokens live in memory only: after a restart the credential gets a fresh pair.
 */
final class ModuleAuth implements BoxAuth {

    private static final Logger LOG = Logger.getLogger(ModuleAuth.class.getName());

    /** How the token endpoint is reached: a form POST over the box transport (a test may substitute it). */
    interface TokenEndpoint {
        BoxTransport.RawResponse post(URI uri, String form) throws BoxException.Retryable;
    }

    /** A pair the module issued. */
    private record Pair(Secret access, Secret refresh, Instant expiresAt) {
    }

    private final URI base;
    private final ApplianceConfig.Module module;
    private final TokenEndpoint endpoint;
    private final ObjectMapper mapper;
    private final Clock clock;
    private volatile Pair current;
    private volatile String refusal;
    private volatile Instant lastIssued;

    ModuleAuth(URI base, ApplianceConfig.Module module, TokenEndpoint endpoint, ObjectMapper mapper, Clock clock) {
        this.base = base;
        this.module = module;
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
        Pair p = current;
        if (p == null || !p.expiresAt().isAfter(clock.instant().plus(ApplicationAuth.RENEW_MARGIN))) {
            p = renew(p, method);
        }
        params.put("auth", p.access().revealString());
    }

    @Override
    public boolean renewsAfter(String code) {
        // invalid_token: the module was disarmed and armed again (it revokes every token) or reinstalled
        return ErrorClassifier.EXPIRED_TOKEN.equals(code) || "invalid_token".equals(code);
    }

    @Override
    public boolean renewAfterExpiry(String method) throws BoxException {
        Pair stale = current;
        synchronized (this) {
            if (current == stale) {
                current = null; // dead whatever our clock says: the refresh token may still renew it
                renew(stale, method);
            }
        }
        return true;
    }

    /** A new pair: with the refresh token when there is one, else (or when it is refused) with the credential. */
    private synchronized Pair renew(Pair stale, String method) throws BoxException {
        Pair now = current;
        if (now != null && now != stale && now.expiresAt().isAfter(clock.instant().plus(ApplicationAuth.RENEW_MARGIN))) {
            return now; // someone renewed meanwhile
        }
        Pair fresh = null;
        if (stale != null) {
            fresh = ask(method, "grant_type=refresh_token&client_id=" + Params.enc(module.clientId())
                    + "&client_secret=" + Params.enc(module.credential().revealString())
                    + "&refresh_token=" + Params.enc(stale.refresh().revealString()), true);
        }
        if (fresh == null) {
            fresh = ask(method, "grant_type=client_credentials&client_id=" + Params.enc(module.clientId())
                    + "&client_secret=" + Params.enc(module.credential().revealString()), false);
        }
        current = fresh;
        lastIssued = clock.instant();
        if (refusal != null) {
            LOG.info("the b24bridge module issues tokens to this appliance again");
        }
        refusal = null;
        return fresh;
    }

    /**
     * One request to the module's token endpoint. The box away: {@link BoxException.Retryable} (the work waits like
     * for any outage). The module refusing: {@link BoxException.Auth} saying what to fix on which side; a refused
     * refresh token only returns null, and the credential is asked next.
     */
    private Pair ask(String method, String form, boolean refresh) throws BoxException {
        BoxTransport.RawResponse res = endpoint.post(module.tokenEndpoint(), form);
        JsonNode body;
        try {
            body = res.body().length == 0 ? null : mapper.readTree(res.body());
        } catch (IOException e) {
            body = null;
        }
        if (body != null && body.hasNonNull("access_token") && body.hasNonNull("refresh_token")) {
            return new Pair(Secret.of(body.get("access_token").asText()), Secret.of(body.get("refresh_token").asText()),
                    clock.instant().plusSeconds(body.path("expires_in").asLong(3600)));
        }
        String code = body == null ? "" : body.path("error").asText("");
        if (refresh && code.equals("invalid_grant")) {
            return null;
        }
        if (res.status() >= 500 && !code.equals("MODULE_NOT_ARMED") && !code.equals("APPLICATION_NOT_FOUND")) {
            throw new BoxException.Retryable(method, "HTTP_" + res.status(), "the b24bridge module's token endpoint "
                    + "answered HTTP " + res.status() + ": the box is in trouble; tokens are asked for again", null);
        }
        String why = body == null
                ? "the box answered HTTP " + res.status() + " without JSON at " + module.tokenEndpoint()
                + ": is the b24bridge module installed, and the appliance's nginx server block in place "
                + "(docs/box-module.md)?"
                : "the b24bridge module refused a token (HTTP " + res.status() + " " + code + " — "
                + body.path("error_description").asText("") + ")" + advice(code);
        boolean first = refusal == null || !refusal.equals(why);
        refusal = why;
        if (first) {
            LOG.severe(why);
        }
        throw new BoxException.Auth(method, code.isEmpty() ? "MODULE_TOKEN_REFUSED" : code, why, null);
    }

    private static String advice(String code) {
        return switch (code) {
            case "invalid_client" -> ": put the credential the module showed at its install (or a new one from its "
                    + "options page) into bitrix24.module.credential-file";
            case "CLIENT_CERTIFICATE_REQUIRED" -> ": the request reached the box without the appliance's verified "
                    + "certificate: bitrix24.url must be the module's mutual-TLS server block";
            case "CLIENT_CERTIFICATE_REFUSED" -> ": the subject on the module's options page must be this appliance's "
                    + "client certificate's (openssl x509 -noout -subject -nameopt RFC2253)";
            case "MODULE_NOT_ARMED" -> ": the box administrator arms the module on its options page";
            case "APPLICATION_NOT_FOUND" -> ": the module's application is missing on the box: reinstall the module";
            default -> "";
        };
    }

    @Override
    public AuthStatus status() {
        Pair p = current;
        if (refusal != null) {
            return new AuthStatus("module", "REFUSED", refusal, p == null ? null : p.expiresAt());
        }
        if (p == null) {
            return new AuthStatus("module", "NO_TOKEN_YET", "no token from the b24bridge module yet: the first request "
                    + "asks " + module.tokenEndpoint(), null);
        }
        Instant last = lastIssued;
        return new AuthStatus("module", "VALID", "tokens of the b24bridge module for " + module.clientId()
                + (last == null ? "" : ", last issued " + last), p.expiresAt());
    }
}
