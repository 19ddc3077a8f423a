package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The module's token endpoint on the box ({@code /bitrix/services/b24bridge.connector/token.php}, box-module
 * {@code Http\TokenEndpoint}) in place of the OAuth server's {@code /oauth/token/}: the same form parameters and
 * answer keys. {@code client_credentials} with the credential the install issued gives a new pair for the acting
 * user; {@code refresh_token} renews once. Only over the appliance's connection; refusals change nothing.
 */
final class ModuleTokenEndpoint {

    static final int MAX_BODY_BYTES = 8192;

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, Map<String, Object> body) {
    }

    private final ConnectorModule module;
    private final Application app;
    /** {@code host:port} as the request names the box (HTTP_HOST). */
    private final Supplier<String> host;

    ModuleTokenEndpoint(ConnectorModule module, Application app, Supplier<String> host) {
        this.module = module;
        this.app = app;
        this.host = host;
    }

    Answer handle(String httpMethod, byte[] body, String clientDn) {
        if (body.length > MAX_BODY_BYTES) {
            return refused("request_too_large", "A token request is a few short form fields; this one is larger than "
                    + MAX_BODY_BYTES + " bytes", 413);
        }
        if (!"POST".equals(httpMethod)) {
            return refused("invalid_request", "Use POST with application/x-www-form-urlencoded parameters", 400);
        }
        RestError identity = module.identityRefusal(clientDn);
        if (identity != null) {
            return refused(identity.code(), identity.description(), identity.status());
        }
        if (!module.armed()) {
            return refused("MODULE_NOT_ARMED", "The b24bridge module is not armed: the box administrator arms it on "
                    + "the module's options page", 503);
        }
        Map<String, Object> form = FormParams.parse(new String(body, StandardCharsets.UTF_8));
        for (String name : new String[] {"grant_type", "client_id", "client_secret", "refresh_token"}) {
            if (form.containsKey(name) && !(form.get(name) instanceof String)) {
                return refused("invalid_request", "Parameter " + name + " must be a single value", 400);
            }
        }
        String grant = text(form, "grant_type");
        if (!grant.equals("client_credentials") && !grant.equals("refresh_token")) {
            return refused("unsupported_grant_type", "grant_type must be client_credentials or refresh_token", 400);
        }
        if (!text(form, "client_id").equals(ConnectorModule.CLIENT_ID)) {
            return refused("invalid_client", "Unknown client_id: this endpoint issues tokens only to "
                    + ConnectorModule.CLIENT_ID, 401);
        }
        if (!module.credentialMatches(text(form, "client_secret"))) {
            return refused("invalid_client", "Wrong client_secret: use the credential the b24bridge module issued", 401);
        }
        if (!app.installed()) {
            return refused("APPLICATION_NOT_FOUND", "The b24bridge application is missing or inactive on this box", 503);
        }
        if (grant.equals("client_credentials")) {
            return answer(module.tokens.issue(module.actingUser(), ConnectorModule.SCOPE, true));
        }
        ModuleTokens.Record r = module.tokens.redeemRefresh(text(form, "refresh_token"));
        if (r == null) {
            return refused("invalid_grant", "The refresh token is unknown, expired or already used", 400);
        }
        return answer(module.tokens.issue(r.userId(), r.scope(), true));
    }

    private Answer answer(ModuleTokens.Issued t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("expires", t.expires());
        m.put("expires_in", ModuleTokens.ACCESS_TTL);
        m.put("scope", t.scope());
        m.put("domain", host.get());
        m.put("server_endpoint", "https://" + host.get() + ConnectorModule.SERVICES_DIR);
        m.put("client_endpoint", "https://" + host.get() + "/rest/");
        m.put("member_id", null); // a box that never registered with the cloud has none
        m.put("user_id", t.userId());
        m.put("status", "L");
        m.put("refresh_token", t.refreshToken());
        return new Answer(200, m);
    }

    private static Answer refused(String error, String description, int status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("error_description", description);
        return new Answer(status, m);
    }

    private static String text(Map<String, Object> form, String key) {
        return form.get(key) instanceof String s ? s : "";
    }
}
