package io.b24bridge.bitrix;

/**
 * A call to the box failed. The subclass says what the caller should do about it:
 * {@link Retryable} — try again later (the box is away, busy or rate-limiting);
 * {@link Auth} — the appliance's credentials do not work (refresh failed, token invalid, webhook refused):
 * keep the work, raise the alarm, try again once an operator fixed it;
 * {@link Fatal} — this request is wrong and will never succeed (bad parameters, unknown call): never retried;
 * {@link Refused} — the box's web server (its nginx) turned the request away before Bitrix24 saw it: nothing is wrong
 * with the work, an operator must fix the proxy; retried after long pauses meanwhile.
 */
public abstract sealed class BoxException extends Exception {

    private final String method;
    private final String code;
    private final String description;

    protected BoxException(String method, String code, String description, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.code = code;
        this.description = description == null ? "" : description;
    }

    /** The REST method called. */
    public String method() {
        return method;
    }

    /** The box's error code ({@code QUERY_LIMIT_EXCEEDED}, …), or a code of ours for transport failures. */
    public String code() {
        return code;
    }

    /** The box's own {@code error_description}, as it sent it; empty for failures of ours. */
    public String description() {
        return description;
    }

    /** The box is unreachable, slow or busy: try again later. */
    public static final class Retryable extends BoxException {
        public Retryable(String method, String code, String message, Throwable cause) {
            super(method, code, "", message, cause);
        }

        public Retryable(String method, String code, String description, String message, Throwable cause) {
            super(method, code, description, message, cause);
        }
    }

    /** The credentials do not work: not retried blindly; an operator has to act. */
    public static final class Auth extends BoxException {
        public Auth(String method, String code, String message, Throwable cause) {
            super(method, code, "", message, cause);
        }

        public Auth(String method, String code, String description, String message, Throwable cause) {
            super(method, code, description, message, cause);
        }
    }

    /**
     * The box's web server answered a 4xx without Bitrix24's JSON: 413 (the body is larger than its
     * {@code client_max_body_size}), 403 (a rule on the client certificate's subject), 400 (no client certificate):
     * the request never reached Bitrix24, and will not until the proxy is fixed.
     */
    public static final class Refused extends BoxException {
        private final int status;

        public Refused(String method, int status, String message) {
            super(method, "HTTP_" + status, "", message, null);
            this.status = status;
        }

        /** The proxy's HTTP status. */
        public int status() {
            return status;
        }
    }

    /** The request itself is wrong: never retried. */
    public static final class Fatal extends BoxException {
        public Fatal(String method, String code, String message, Throwable cause) {
            super(method, code, "", message, cause);
        }

        public Fatal(String method, String code, String description, String message, Throwable cause) {
            super(method, code, description, message, cause);
        }
    }
}
