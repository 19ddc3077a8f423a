package io.b24bridge.access;

/** An account or token request that cannot be done; the message says why, for the person who asked. */
public final class AccessException extends RuntimeException {

    /** What kind of refusal (the API's status). */
    public enum Kind {
        /** a value is not acceptable (400) */
        INVALID,
        /** there is no such account or token (404) */
        NOT_FOUND,
        /** it collides with what exists (409): the name is taken, the last administrator would go */
        CONFLICT
    }

    private final Kind kind;

    public AccessException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
