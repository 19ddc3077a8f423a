package io.b24bridge.bitrix;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket that follows the box: it allows {@code perSecond} requests with bursts of {@code burst},
 * empties its bucket when the box answers {@code QUERY_LIMIT_EXCEEDED} and halves its rate when the box
 * refuses again before it took anything (a limit met, not a passing refusal), and climbs back (by 10 % every
 * quiet 10 s) to the configured rate. A box whose limits are off never slows it down; one with cloud-like limits
 * (≈2/s) is followed instead of hammered; one refusing some requests at random (a busy box) is not taken for a
 * limit — halving on each refusal drove the rate to its floor (0.2/s) when one request in five was refused.
 */
final class RateLimiter {

    private static final double MIN_RATE = 0.2;
    private static final long RECOVERY_STEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final double maxRate;
    private final int burst;
    private double rate;
    private double tokens;
    private long last;
    private long lastPushBack;
    /** The box took a request since the last refusal (a first refusal counts as one after another). */
    private boolean tookSincePushBack;

    RateLimiter(double perSecond, int burst) {
        this.maxRate = perSecond;
        this.rate = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
        this.lastPushBack = last;
    }

    /** Waits for a permit. */
    void acquire() {
        long wait;
        while ((wait = reserve()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Takes a permit when there is one (0), or says how long until one comes (nanoseconds, nothing taken). */
    synchronized long reserve() {
        long now = System.nanoTime();
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) ((1 - tokens) / rate * 1e9) + 1;
    }

    /** A permit taken for a request that never reached the box: back in the bucket (never above the burst). */
    synchronized void giveBack() {
        refill(System.nanoTime());
        tokens = Math.min(burst, tokens + 1);
    }

    /** The box took a request (answered without a limit's refusal). */
    synchronized void took() {
        tookSincePushBack = true;
    }

    /**
     * The box said QUERY_LIMIT_EXCEEDED: empty the bucket; halve the rate when it refused the last request too.
     */
    synchronized void pushBack() {
        long now = System.nanoTime();
        if (!tookSincePushBack) {
            rate = Math.max(MIN_RATE, rate / 2);
        }
        tookSincePushBack = false;
        tokens = 0;
        last = now;
        lastPushBack = now;
    }

    /** The configured rate, before any push-back. */
    double maxRate() {
        return maxRate;
    }

    int burst() {
        return burst;
    }

    /** The current allowed rate (requests per second). */
    synchronized double rate() {
        refill(System.nanoTime());
        return rate;
    }

    private void refill(long now) {
        while (rate < maxRate && now - lastPushBack >= RECOVERY_STEP_NANOS) {
            rate = Math.min(maxRate, rate * 1.1);
            lastPushBack += RECOVERY_STEP_NANOS;
        }
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
    }
}
