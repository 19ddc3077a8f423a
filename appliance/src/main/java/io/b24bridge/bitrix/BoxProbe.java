package io.b24bridge.bitrix;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.config.ApplianceConfig;

/**
 * What this box accepts, asked without changing anything: each method the product uses is called with this
 * appliance's auth and parameters that cannot do anything (an empty register stops at "USER_ID … should be set", a
 * read of nothing), and the answer tells whether the auth got through to the method (any answer of the method,
 * its parameter errors included), was refused for its kind ({@code WRONG_AUTH_TYPE}: a box that takes only
 * application tokens there), or never reached it. A token no OAuth server issued tells whether the box can reach its
 * OAuth server: {@code CONNECTION_ERROR} says it cannot (rest/lib/oauth/auth.php:79-83,286-289), any other refusal
 * that it asked. Used by {@code doctor}.
 */
public final class BoxProbe {

    /** How a method took this appliance's auth. */
    public enum Verdict {
        /** the method ran (or refused its parameters): this auth works for it */
        ACCEPTED,
        /** the box refuses this kind of auth for the method */
        REFUSED_AUTH_TYPE,
        /** the scope or the user's rights do not allow it */
        NOT_ALLOWED,
        /** the credentials themselves are refused, or cannot be checked */
        CREDENTIALS,
        /** the box has no such method */
        NOT_THERE,
        /** no answer */
        UNANSWERED
    }

    /** One method's answer, in plain words. */
    public record Answer(String method, String use, Verdict verdict, String words) {
    }

    /** A method the product calls, what it is for, and a call of it that changes nothing. */
    private record Probe(String method, String use, Params params) {
    }

    private static final List<Probe> PROBES = List.of(
            new Probe(TelephonyApi.REGISTER, "calls appear in the CRM", Params.of()),
            new Probe(TelephonyApi.FINISH, "calls end with their activity", Params.of()),
            new Probe(TelephonyApi.SHOW, "the caller's card pops up", Params.of().put("CALL_ID", "b24bridge-doctor")),
            new Probe("telephony.externalCall.attachRecord", "recordings in the CRM", Params.of()),
            new Probe("telephony.externalCall.searchCrmEntities", "routing to the client's responsible",
                    Params.of().put("PHONE_NUMBER", "0")),
            new Probe("user.get", "extensions become users", Params.of().put("FILTER", Params.fields("ID", 0))),
            new Probe("crm.status.list", "lead sources are checked",
                    Params.of().put("filter", Params.fields("ENTITY_ID", "SOURCE"))),
            new Probe("crm.timeline.comment.list", "callers' ratings on the timeline",
                    Params.of().put("filter", Params.fields("ENTITY_TYPE", "lead", "ENTITY_ID", 0))));

    private BoxProbe() {
    }

    /** Every method the product uses, with the configured auth. */
    public static List<Answer> methods(BoxClient client, ApplianceConfig.AuthMode mode) {
        List<Answer> out = new ArrayList<>();
        for (Probe p : PROBES) {
            out.add(ask(client, p.method(), p.use(), p.params(), mode));
        }
        if (mode != ApplianceConfig.AuthMode.WEBHOOK) {
            out.add(ask(client, "event.get", "the box's events (click-to-call, callbacks)", Params.of(), mode));
        }
        return out;
    }

    private static Answer ask(BoxClient client, String method, String use, Params params, ApplianceConfig.AuthMode mode) {
        String auth = mode.name().toLowerCase(Locale.ROOT) + " auth";
        try {
            client.call(method, params);
            return new Answer(method, use, Verdict.ACCEPTED, "takes " + auth);
        } catch (BoxException e) {
            return new Answer(method, use, verdict(e), words(e, auth));
        }
    }

    static Verdict verdict(BoxException e) {
        return switch (e.code()) {
            case "WRONG_AUTH_TYPE" -> Verdict.REFUSED_AUTH_TYPE;
            case "insufficient_scope", "ACCESS_DENIED", "authorization_error", "user_access_error" -> Verdict.NOT_ALLOWED;
            case "ERROR_METHOD_NOT_FOUND" -> Verdict.NOT_THERE;
            default -> switch (e) {
                case BoxException.Retryable r -> Verdict.UNANSWERED;
                // the box's web server answered, not Bitrix24: the method was not reached
                case BoxException.Refused r -> Verdict.UNANSWERED;
                case BoxException.Auth a -> Verdict.CREDENTIALS;
                case BoxException.Fatal f -> Verdict.ACCEPTED; // the method itself refused the empty parameters
            };
        };
    }

    private static String words(BoxException e, String auth) {
        String said = e.code().isEmpty() ? "\"" + e.description() + "\"" : e.code();
        return switch (verdict(e)) {
            case ACCEPTED -> "takes " + auth + " (it answered the empty probe with " + said + ")";
            case REFUSED_AUTH_TYPE -> "refuses " + auth + " (WRONG_AUTH_TYPE)";
            case NOT_ALLOWED -> "does not allow it (" + said + "): the scope or the user's rights";
            case CREDENTIALS -> "the credentials were refused (" + said + "): " + e.getMessage();
            case NOT_THERE -> "this box has no such method";
            case UNANSWERED -> "no answer (" + e.getMessage() + ")";
        };
    }

    /** Whether the box can reach its OAuth server, as far as its answers tell. */
    public enum OAuthServer { REACHABLE, UNREACHABLE, UNKNOWN }

    /**
     * Sends a token no OAuth server issued: a box that cannot reach its OAuth server answers {@code CONNECTION_ERROR}
     * (nothing cached for a token never seen), one that can relays the server's refusal.
     */
    static OAuthServer oauthServer(BoxTransport transport, URI box) {
        try {
            BoxTransport.RawResponse res = transport.postForm("app.info", URI.create(box + "/rest/app.info.json"),
                    "auth=b24bridge-doctor-probe-" + Long.toHexString(System.nanoTime()));
            String body = new String(res.body(), StandardCharsets.UTF_8);
            if (body.contains("CONNECTION_ERROR")) {
                return OAuthServer.UNREACHABLE;
            }
            return body.contains("\"error\"") ? OAuthServer.REACHABLE : OAuthServer.UNKNOWN;
        } catch (BoxException.Retryable e) {
            return OAuthServer.UNKNOWN;
        }
    }

    /** The same with a transport of its own for {@code config}'s box. */
    public static OAuthServer oauthServer(ApplianceConfig.Bitrix24 config) {
        try (BoxTransport t = BoxTransport.create(config)) {
            return oauthServer(t, config.url());
        }
    }

    /**
     * Whether the b24bridge module is on the box, asked at its token endpoint without credentials: the module answers
     * a refusal as JSON, a box without it has no such page.
     */
    public static boolean moduleInstalled(ApplianceConfig.Bitrix24 config) {
        try (BoxTransport t = BoxTransport.create(config)) {
            BoxTransport.RawResponse res = t.postForm("b24bridge.token",
                    URI.create(config.url() + ApplianceConfig.Module.TOKEN_PATH), "grant_type=client_credentials");
            return new String(res.body(), StandardCharsets.UTF_8).contains("\"error\"") && res.status() != 404;
        } catch (BoxException.Retryable e) {
            return false;
        }
    }

    /** {@code b24bridge.status} through the module, or null when it cannot be read (the probe of methods says why). */
    public static JsonNode moduleStatus(BoxClient client) {
        try {
            return client.call("b24bridge.status", Params.of());
        } catch (BoxException e) {
            return null;
        }
    }
}
