package io.b24bridge.testkit.bitrix;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A REST error as the box answers it: {@code {"error": code, "error_description": text}} with the HTTP status
 * of the contract's table (§1). Thrown by method handlers; no stack trace, it is an answer, not a fault.
 */
final class RestError extends RuntimeException {

    static final String WRONG_AUTH_TYPE_TEXT = "Current authorization type is denied for this method";

    private final String code;
    private final String description;
    private final int status;
    /** Keys the answer carries besides error and error_description (a RestException's "additional"). */
    private final Map<String, Object> additional;

    RestError(String code, String description, int status) {
        this(code, description, status, Map.of());
    }

    private RestError(String code, String description, int status, Map<String, Object> additional) {
        super(code + ": " + description, null, false, false);
        this.code = code;
        this.description = description;
        this.status = status;
        this.additional = additional;
    }

    /** The same error with one more key in the answer ({@code RestException::setAdditional}, restexception.php). */
    RestError with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(additional);
        more.put(key, value);
        return new RestError(code, description, status, Collections.unmodifiableMap(more));
    }

    /** An error with a status of its own, not the table's (the b24bridge module's refusals). */
    static RestError withStatus(String code, String description, int status) {
        return new RestError(code, description, status);
    }

    Map<String, Object> additional() {
        return additional;
    }

    /** The status the contract gives the code (§1 table); 400 for parameter errors and anything else. */
    static RestError of(String code, String description) {
        return new RestError(code, description, statusOf(code));
    }

    static RestError core(String description) {
        return of("ERROR_CORE", description);
    }

    static RestError argument(String description) {
        return of("ERROR_ARGUMENT", description);
    }

    /** The telephony errors that come with an empty code and only a description (§1, §2 attachRecord). */
    static RestError noCode(String description) {
        return new RestError("", description, 400);
    }

    static RestError wrongAuthType() {
        return of("WRONG_AUTH_TYPE", WRONG_AUTH_TYPE_TEXT);
    }

    static int statusOf(String code) {
        return switch (code) {
            case "QUERY_LIMIT_EXCEEDED" -> 503;
            // OAuthException's default status (rest/lib/oauthexception.php:23), insufficient_scope included
            // (rest/lib/oauth/auth.php:139; the docs' table says 403)
            case "expired_token", "invalid_token", "NO_AUTH_FOUND", "INVALID_CREDENTIALS", "CONNECTION_ERROR",
                 "insufficient_scope" -> 401;
            // AccessException: rest/lib/accessexception.php:16, AuthTypeException extends it
            case "ACCESS_DENIED", "WRONG_AUTH_TYPE" -> 403;
            case "OPERATION_TIME_LIMIT" -> 429;
            case "ERROR_METHOD_NOT_FOUND" -> 404;
            case "INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER" -> 500;
            default -> 400;
        };
    }

    String code() {
        return code;
    }

    String description() {
        return description;
    }

    int status() {
        return status;
    }
}
