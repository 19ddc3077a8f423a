package io.b24bridge.testkit.bitrix;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The local application as the box keeps it ({@code b_rest_app}): client id and secret, its scopes, whether it is
 * installed, and its application token — made on the box at install ({@code CRestUtil::getApplicationToken}) and
 * carried by every event as {@code auth[application_token]}, the proof an event is the box's. A reinstall
 * changes it.
 */
final class Application {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Its row's ID in b_rest_app (app.info ID); its pseudo-line is {@code REST_APP:<ID>}. */
    static final int ID = 1;

    final String clientId;
    final String clientSecret;
    final String memberId;
    final Set<String> scopes;
    private volatile String applicationToken;
    private volatile boolean installed;

    Application(String clientId, String clientSecret, Set<String> scopes) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.memberId = random(16);
        this.scopes = Set.copyOf(scopes);
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The REST_APP_ID of what the application registers, and its rate-limit key. */
    String principal() {
        return "app:" + clientId;
    }

    boolean installed() {
        return installed;
    }

    String applicationToken() {
        return applicationToken;
    }

    /** Installed at once (docs: installation-finish.md), with a fresh application token. */
    synchronized String install() {
        applicationToken = random(16);
        installed = true;
        return applicationToken;
    }

    synchronized void reset() {
        installed = false;
        applicationToken = null;
    }
}
