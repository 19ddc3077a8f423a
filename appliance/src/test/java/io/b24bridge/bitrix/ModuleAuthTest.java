package io.b24bridge.bitrix;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How module auth meets the module's token endpoint's answers (docs/box-module.md): a pair for the credential, renewal
 * with the refresh token and, when that is refused (used up, expired), the credential again; the box away is a pause
 * like any outage; the module refusing says what to fix on which side; a box without the module says so.
 */
class ModuleAuthTest {

    private static final ApplianceConfig.Module MODULE = new ApplianceConfig.Module(ApplianceConfig.Module.CLIENT_ID,
            Secret.of("b24bc.the-credential"), URI.create("https://crm.corp.local:8444" + ApplianceConfig.Module.TOKEN_PATH),
            Duration.ofSeconds(25));

    /** The token endpoint as a script of answers; remembers the forms it was sent. */
    private static final class Endpoint implements ModuleAuth.TokenEndpoint {
        final Deque<BoxTransport.RawResponse> answers = new ArrayDeque<>();
        final List<String> forms = new ArrayList<>();

        Endpoint answer(int status, String body) {
            answers.add(new BoxTransport.RawResponse(status, body.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        @Override
        public BoxTransport.RawResponse post(URI uri, String form) throws BoxException.Retryable {
            forms.add(form);
            BoxTransport.RawResponse r = answers.poll();
            if (r == null) {
                throw new BoxException.Retryable("b24bridge.token", "UNREACHABLE", "connection refused", null);
            }
            return r;
        }
    }

    private static String pair(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\",\"expires_in\":3600}";
    }

    private static ModuleAuth auth(Endpoint e) {
        return new ModuleAuth(URI.create("https://crm.corp.local:8444"), MODULE, e, Json.newMapper(), Clock.systemUTC());
    }

    @Test
    void theCredentialGivesAPairAndARefusedRefreshTokenFallsBackToTheCredential() throws Exception {
        Endpoint e = new Endpoint().answer(200, pair("b24b1.A1", "b24b1.R1"))
                .answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"already used\"}")
                .answer(200, pair("b24b1.A2", "b24b1.R2"));
        ModuleAuth auth = auth(e);
        Params p = Params.of();
        auth.authorize(p, "app.info");
        assertEquals("b24b1.A1", p.asMap().get("auth"));

        assertTrue(auth.renewsAfter("invalid_token"), "a re-armed module revoked the token");
        assertTrue(auth.renewAfterExpiry("app.info"));
        Params again = Params.of();
        auth.authorize(again, "app.info");
        assertEquals("b24b1.A2", again.asMap().get("auth"));
        assertTrue(e.forms.get(0).startsWith("grant_type=client_credentials"), e.forms.get(0));
        assertTrue(e.forms.get(1).startsWith("grant_type=refresh_token") && e.forms.get(1).contains("b24b1.R1"));
        assertTrue(e.forms.get(2).startsWith("grant_type=client_credentials"), "the refused refresh: the credential");
        assertEquals("VALID", auth.status().state());
    }

    @Test
    void aWrongCredentialSaysWhereTheRightOneGoes() {
        Endpoint e = new Endpoint().answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Wrong client_secret\"}");
        ModuleAuth auth = auth(e);
        BoxException x = assertThrows(BoxException.class, () -> auth.authorize(Params.of(), "app.info"));
        assertInstanceOf(BoxException.Auth.class, x);
        assertEquals("invalid_client", x.code());
        assertTrue(auth.status().detail().contains("bitrix24.module.credential-file"), auth.status().detail());
        assertEquals("REFUSED", auth.status().state());
    }

    @Test
    void aBoxWithoutTheModuleIsToldApartFromABoxAway() {
        ModuleAuth notThere = auth(new Endpoint().answer(404, "<html>404 Not Found</html>"));
        assertThrows(BoxException.Auth.class, () -> notThere.authorize(Params.of(), "app.info"));
        assertTrue(notThere.status().detail().contains("is the b24bridge module installed"), notThere.status().detail());

        ModuleAuth away = auth(new Endpoint());
        assertInstanceOf(BoxException.Retryable.class, assertThrows(BoxException.class,
                () -> away.authorize(Params.of(), "app.info")));
        ModuleAuth troubled = auth(new Endpoint().answer(502, "<html>Bad Gateway</html>"));
        assertInstanceOf(BoxException.Retryable.class, assertThrows(BoxException.class,
                () -> troubled.authorize(Params.of(), "app.info")));
    }
}
