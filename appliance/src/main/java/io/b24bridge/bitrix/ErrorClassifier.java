package io.b24bridge.bitrix;

import java.util.Set;

/**
 * Sorts the box's errors into what to do about them (contract §1, error table). The error code decides, not
 * the HTTP status: statuses vary between boxes and proxies.
 */
public final class ErrorClassifier {

    static final String EXPIRED_TOKEN = "expired_token";
    static final String QUERY_LIMIT_EXCEEDED = "QUERY_LIMIT_EXCEEDED";

    private static final Set<String> RETRYABLE = Set.of(QUERY_LIMIT_EXCEEDED, "INTERNAL_SERVER_ERROR",
            "ERROR_UNEXPECTED_ANSWER", "OPERATION_TIME_LIMIT", "ERROR_BATCH_LENGTH_EXCEEDED_TEMPORARY");
    private static final Set<String> AUTH = Set.of(EXPIRED_TOKEN, "invalid_token", "NO_AUTH_FOUND",
            "INVALID_CREDENTIALS", "WRONG_AUTH_TYPE", "insufficient_scope", "ACCESS_DENIED", "invalid_grant",
            "invalid_client", "PAYMENT_REQUIRED", "APPLICATION_NOT_FOUND", "ERROR_OAUTH");

    private ErrorClassifier() {
    }

    /** The exception for an error answer of {@code method} (also for one command of a batch). */
    public static BoxException classify(String method, int httpStatus, String code, String description) {
        String text = "Bitrix24 " + method + ": " + (code.isEmpty() ? "(no code)" : code)
                + (description.isEmpty() ? "" : " — " + description) + " (HTTP " + httpStatus + ")";
        if (AUTH.contains(code)) {
            return new BoxException.Auth(method, code, text, null);
        }
        // an unknown code with a server status is most likely passing trouble too
        if (RETRYABLE.contains(code) || httpStatus >= 500) {
            return new BoxException.Retryable(method, code.isEmpty() ? "HTTP_" + httpStatus : code, text, null);
        }
        return new BoxException.Fatal(method, code, text, null);
    }
}
