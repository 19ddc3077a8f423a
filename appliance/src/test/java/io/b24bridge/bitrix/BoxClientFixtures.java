package io.b24bridge.bitrix;

import java.time.Instant;

import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.config.Secret;

/** Tokens as an install leaves them, for tests that need an installed application without an install event. */
public final class BoxClientFixtures {

    private BoxClientFixtures() {
    }

    public static Tokens tokens(String applicationToken) {
        return new Tokens(Secret.of("AT-fixture"), Secret.of("RT-fixture"), Instant.now().plusSeconds(3600),
                Secret.of(applicationToken), "member-fixture", "crm.corp.local", "https://oauth.example/rest/",
                "https://crm.corp.local/rest/", "install");
    }
}
