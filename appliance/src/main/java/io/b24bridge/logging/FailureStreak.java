package io.b24bridge.logging;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One task that fails over and over for the same reason (a full disk makes every outbox round fail, several times a
 * second): the first failure of a streak is logged with its cause, the others are counted, and the end of the streak
 * is logged once with how many there were and for how long — the log says what is wrong once, not a flood.
 */
public final class FailureStreak {

    private final Logger log;
    private final String what;
    private long failures;
    private long since;

    /** @param what the task, as the log names it ("outbox batch round") */
    public FailureStreak(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** A failure: logged (WARNING, with the cause) when it begins a streak, counted otherwise. */
    public synchronized void failed(RuntimeException e) {
        if (failures++ == 0) {
            since = System.nanoTime();
            log.log(Level.WARNING, what + " failed: " + e.getMessage() + " (it is retried; further failures of the "
                    + "kind are counted, not logged, until it succeeds)", e);
        }
    }

    /** A success: ends a streak, if there was one, with one line. */
    public synchronized void succeeded() {
        if (failures == 0) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - since);
        log.warning(what + " works again after " + failures + " failures in " + took.toSeconds() + " s");
        failures = 0;
    }

    /** Whether the last attempt failed. */
    public synchronized boolean failing() {
        return failures > 0;
    }
}
