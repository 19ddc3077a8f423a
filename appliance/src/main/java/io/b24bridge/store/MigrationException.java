package io.b24bridge.store;

/** The schema cannot be brought up to date; the start must stop. */
public final class MigrationException extends StoreException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
