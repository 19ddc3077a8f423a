package io.b24bridge.logging;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One task that fails over and over for the same reason (a full disk makes every outbox round fail, several times a
 * second): the first failure of a streak is logged with its cause, the others are counted — with a reminder every
 * {@link #REMIND} while it lasts — and the end of the streak is logged once with how many there were and for how long:
 * the log says what is wrong once, not a flood.
 *
 * <p>Only an attempt that did what fails is a success: its owner calls {@link #succeeded()} after work that would have
 * failed for the same cause (a write, when the database refuses writes), never after an attempt that had nothing to do
 * — that proves nothing, and ending the streak on it made one outage dozens of streaks (124–151 lines in one disk-full
 * run at 50 calls/s, each "works again after N failures in 0 s").
 */
public final class FailureStreak {

    /** How often a streak that goes on is mentioned again: an outage of hours is not one line at its start only. */
    public static final Duration REMIND = Duration.ofMinutes(5);

    private final Logger log;
    private final String what;
    private final LongSupplier nanoTime;
    private final Duration remind;
    private long failures;
    private long since;
    private long remindedAt;

    /** @param what the task, as the log names it ("outbox batch round") */
    public FailureStreak(Logger log, String what) {
        this(log, what, System::nanoTime, REMIND);
    }

    /** With the clock and the reminder's period given (tests). */
    FailureStreak(Logger log, String what, LongSupplier nanoTime, Duration remind) {
        this.log = log;
        this.what = what;
        this.nanoTime = nanoTime;
        this.remind = remind;
    }

    /** A failure: logged (WARNING, with its cause) when it begins a streak, else counted, now and then reminded. */
    public synchronized void failed(RuntimeException e) {
        long now = nanoTime.getAsLong();
        if (failures++ == 0) {
            since = now;
            remindedAt = now;
            log.log(Level.WARNING, what + " failed: " + e.getMessage() + " (it is retried; further failures of the "
                    + "kind are counted, not logged, until it succeeds)", e);
        } else if (now - remindedAt >= remind.toNanos()) {
            remindedAt = now;
            log.warning(what + " still fails: " + failures + " failures in " + seconds(now - since) + " s, the last: "
                    + e.getMessage());
        }
    }

    /** A success (see the class comment: work done, not an attempt that found none): ends a streak with one line. */
    public synchronized void succeeded() {
        if (failures == 0) {
            return;
        }
        log.warning(what + " works again after " + failures + " failures in " + seconds(nanoTime.getAsLong() - since)
                + " s");
        failures = 0;
    }

    /** Whether the last attempt that did something failed. */
    public synchronized boolean failing() {
        return failures > 0;
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }
}
