package io.b24bridge.pbx;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.asteriskjava.manager.event.ManagerEvent;

/**
 * What one AMI link counted since the start — events and their rate, logins, refusals, resyncs — and its last
 * problem: the figures of {@link AmiConnection.Status}.
 */
final class LinkStats {

    /** The last problem, one sentence, and when it happened. */
    record Problem(String message, Instant at) {
    }

    private final AtomicLong events = new AtomicLong();
    private final EventRate rate = new EventRate();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong loginFailures = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private volatile long lastEventMillis;
    private volatile Problem lastError;

    /** Counts an event on its way to the intake (asterisk-java's dispatch thread). */
    void counted(ManagerEvent event) {
        long now = System.currentTimeMillis();
        events.incrementAndGet();
        rate.count(now);
        lastEventMillis = now;
    }

    void attempt() {
        attempts.incrementAndGet();
    }

    void loginRefused() {
        loginFailures.incrementAndGet();
    }

    /** A login with its snapshot went through; returns how many did so far. */
    long connected() {
        return connects.incrementAndGet();
    }

    void resync() {
        resyncs.incrementAndGet();
    }

    /** Records the problem; returns the one before it. */
    Problem problem(String message) {
        Problem previous = lastError;
        lastError = new Problem(message, Instant.now());
        return previous;
    }

    AmiConnection.Status status(AmiSettings settings, AmiConnection.State state, Instant since, EventIntake intake,
                                String readProblem) {
        Problem p = lastError;
        long c = connects.get();
        long last = lastEventMillis;
        return new AmiConnection.Status(settings.pbxId(), settings.username() + "@" + settings.host() + ":"
                + settings.port(), state, since, last == 0 ? null : Instant.ofEpochMilli(last), events.get(),
                rate.perSecond(System.currentTimeMillis()), c, Math.max(0, c - 1), attempts.get(),
                loginFailures.get(), p == null ? null : p.message(), p == null ? null : p.at(), intake.depth(),
                intake.capacity(), intake.backPressureWaits(), intake.backPressureTime(), resyncs.get(),
                intake.sinkFailures(), readProblem,
                intake.runs() == 0 ? 0 : (double) intake.delivered() / intake.runs());
    }
}
