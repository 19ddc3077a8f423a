package io.b24bridge.bitrix;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where application auth renews its tokens: a box serves no {@code /oauth/token/} (bitrix24-box-behaviour.md §0 item
 * 3), so without a configured endpoint it is the OAuth server the install event named — one of Bitrix's — else
 * oauth.bitrix.info, as the docs say; the client secret never goes to a server an event alone named.
 */
class TokenEndpointTest {

    private static ApplianceConfig.Application app(String configured) {
        return new ApplianceConfig.Application("local.x", Secret.of("s"),
                Optional.ofNullable(configured).map(URI::create));
    }

    private static Tokens installed(String serverEndpoint) {
        return new Tokens(Secret.of("a"), Secret.of("r"), Instant.now(), Secret.of("t"), "m", "crm.corp.local",
                serverEndpoint, "https://crm.corp.local/rest/", "install");
    }

    @Test
    void theOAuthServerTheInstallEventNamesWhenItIsBitrixs() {
        assertEquals(URI.create("https://oauth.bitrix24.tech/oauth/token/"),
                ApplicationAuth.tokenEndpoint(app(null), installed("https://oauth.bitrix24.tech/rest/")));
        assertEquals(URI.create("https://oauth.bitrix.info/oauth/token/"),
                ApplicationAuth.tokenEndpoint(app(null), installed("https://oauth.bitrix.info/rest/")));
    }

    @Test
    void anyOtherServerAnEventNamesIsNotTrustedWithTheSecret() {
        assertEquals(ApplianceConfig.Application.DEFAULT_TOKEN_ENDPOINT,
                ApplicationAuth.tokenEndpoint(app(null), installed("https://evil.example.org/rest/")));
        assertEquals(ApplianceConfig.Application.DEFAULT_TOKEN_ENDPOINT,
                ApplicationAuth.tokenEndpoint(app(null), installed("http://oauth.bitrix.info/rest/")));
        assertEquals(ApplianceConfig.Application.DEFAULT_TOKEN_ENDPOINT,
                ApplicationAuth.tokenEndpoint(app(null), installed("")));
    }

    @Test
    void aConfiguredEndpointWins() {
        assertEquals(URI.create("https://oauth.corp.local/oauth/token/"), ApplicationAuth.tokenEndpoint(
                app("https://oauth.corp.local/oauth/token/"), installed("https://oauth.bitrix.info/rest/")));
    }
}
