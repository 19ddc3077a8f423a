package io.b24bridge.logging;

import java.util.logging.LogManager;

/**
 * The JDK's {@link LogManager} closes every handler in its own shutdown hook, which runs at the same time as
 * ours: the lines that matter most on a stop ("database closed cleanly") would be lost. This manager ignores
 * a reset while the JVM shuts down; {@link #stopped()} closes the handlers once our stop is done.
 * Installed by {@code Main} through {@code java.util.logging.manager} before the first logger exists.
 */
public final class StopSafeLogManager extends LogManager {

    private volatile boolean released;

    @Override
    public void reset() {
        if (released || !shuttingDown()) {
            super.reset();
        }
    }

    /** Our stop is complete: flush and close the handlers now. */
    public static void stopped() {
        if (LogManager.getLogManager() instanceof StopSafeLogManager m) {
            m.released = true;
            m.reset();
        }
    }

    /** The JVM refuses new shutdown hooks once it is shutting down: the only portable way to ask. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
