package io.b24bridge.testkit.bitrix;

import java.util.concurrent.CompletableFuture;

/**
 * An install of the local application: the first tokens (null when the deployment could issue none: an air-gapped
 * box), the application token, and the ONAPPINSTALL delivery to the install handler (null when no handler is
 * configured).
 */
public record Installation(Tokens tokens, String applicationToken, CompletableFuture<Delivery> delivery) {

    @Override
    public String toString() {
        return "Installation[" + tokens + "]";
    }
}
