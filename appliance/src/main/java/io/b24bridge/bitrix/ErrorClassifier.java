package io.b24bridge.bitrix;

import java.util.Set;

/**
 * Sorts the box's errors into what to do about them (contract §1, error table). The error code decides, not
 * the HTTP status: statuses vary between boxes and proxies.
 */
public final class ErrorClassifier {

    static final String EXPIRED_TOKEN = "expired_token";
    /**
     * How the box's answer to telephony.externalcall.finish of a call it has no open record of begins. Its
     * source has no closing parenthesis ("Call is not found (call should be registered prior to finishing",
     * voximplant lib/rest/helper.php, finishExternalCall); the English REST docs and the emulator add one. A
     * second finish gets it too: finish deletes the open call.
     */
    static final String FINISH_OF_UNKNOWN_CALL = "Call is not found (call should be registered prior to finishing";
    static final String QUERY_LIMIT_EXCEEDED = "QUERY_LIMIT_EXCEEDED";

    private static final Set<String> RETRYABLE = Set.of(QUERY_LIMIT_EXCEEDED, "INTERNAL_SERVER_ERROR",
            "ERROR_UNEXPECTED_ANSWER", "OPERATION_TIME_LIMIT", "ERROR_BATCH_LENGTH_EXCEEDED_TEMPORARY");
    /**
     * The box cannot check the application's token at its OAuth server (401, box 26.250
     * rest/lib/oauth/auth.php:79-83): a box cut off from the internet says so for every call. Nothing is wrong
     * with the request; it waits like any auth failure.
     */
    static final String CONNECTION_ERROR = "CONNECTION_ERROR";

    // CONNECTION_ERROR and the OAuth server's other refusals (auth.php:75-170) keep the work and wait: an auth
    // failure is retried after a pause and shown in /health, never set aside as a dead letter
    private static final Set<String> AUTH = Set.of(EXPIRED_TOKEN, "invalid_token", "NO_AUTH_FOUND",
            "INVALID_CREDENTIALS", "WRONG_AUTH_TYPE", "insufficient_scope", "ACCESS_DENIED", "invalid_grant",
            "invalid_client", "PAYMENT_REQUIRED", "APPLICATION_NOT_FOUND", "ERROR_OAUTH", CONNECTION_ERROR,
            "authorization_error", "user_access_error",
            // the b24bridge module's refusals (docs/box-module.md): disarmed, or not the appliance's connection
            "MODULE_NOT_ARMED", "CLIENT_CERTIFICATE_REQUIRED", "CLIENT_CERTIFICATE_REFUSED");

    private ErrorClassifier() {
    }

    /** The exception for an error answer of {@code method} (also for one command of a batch). */
    public static BoxException classify(String method, int httpStatus, String code, String description) {
        String text = "Bitrix24 " + method + ": " + (code.isEmpty() ? "(no code)" : code)
                + (description.isEmpty() ? "" : " — " + description) + " (HTTP " + httpStatus + ")"
                + (code.equals(CONNECTION_ERROR) ? ": the box cannot reach its OAuth server to check the application's"
                + " token; calls wait and go once it can (docs/bitrix24.md)" : "");
        if (AUTH.contains(code)) {
            return new BoxException.Auth(method, code, description, text, null);
        }
        // an unknown code with a server status is most likely passing trouble too
        if (RETRYABLE.contains(code) || httpStatus >= 500) {
            return new BoxException.Retryable(method, code.isEmpty() ? "HTTP_" + httpStatus : code, description,
                    text, null);
        }
        return new BoxException.Fatal(method, code, description, text, null);
    }

    /**
     * Whether a finish failed because the box has no open call of that CALL_ID — as after a finish it took
     * already. The box sends it as a RestException without a code ({@code "error": ""}, HTTP 400); the docs show
     * {@code ERROR_CORE}. Recognised by those codes and the text's start, never by a loose "not found".
     */
    public static boolean callAlreadyFinished(BoxException e) {
        return e instanceof BoxException.Fatal && TelephonyApi.FINISH.equalsIgnoreCase(e.method())
                && (e.code().isEmpty() || e.code().equals("ERROR_CORE"))
                && e.description().startsWith(FINISH_OF_UNKNOWN_CALL);
    }
}
