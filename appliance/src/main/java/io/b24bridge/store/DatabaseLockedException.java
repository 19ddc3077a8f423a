package io.b24bridge.store;

/** Another process — normally the running appliance — holds the database. */
public final class DatabaseLockedException extends StoreException {

    public DatabaseLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
