package io.b24bridge.settings;

/** A change was based on an older version of the settings than the one in force. */
public final class VersionConflictException extends RuntimeException {

    private final long expected;
    private final long actual;

    public VersionConflictException(long expected, long actual) {
        super("the settings changed meanwhile: the change was made on version " + expected
                + ", the settings are now at version " + actual + "; reload and apply it again");
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
