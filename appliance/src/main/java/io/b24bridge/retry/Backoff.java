package io.b24bridge.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again after {@code n} failures: {@code first}, multiplied by {@code factor}
 * after each failure up to {@code max}, then spread at random between {@code jitterLow} and {@code jitterHigh}
 * times that (never above {@code max}), so that many waiters (calls for a box that comes back, links to a
 * restarted Asterisk) do not knock in step. The one backoff of the appliance: PBX reconnects, outbox retries,
 * the call spine's database retries.
 *
 * @param random a number in [0, 1) per wait; fixed in tests
 */
public record Backoff(Duration first, double factor, Duration max, double jitterLow, double jitterHigh,
                      DoubleSupplier random) {

    public Backoff {
        if (first.isNegative() || max.compareTo(first) < 0 || factor < 1 || jitterLow <= 0 || jitterHigh < jitterLow) {
            throw new IllegalArgumentException(
                    "a backoff needs 0 <= first <= max, factor >= 1, 0 < jitter low <= high");
        }
    }

    /** Doubling from {@code first} up to {@code max}, without jitter. */
    public static Backoff doubling(Duration first, Duration max) {
        return new Backoff(first, 2, max, 1, 1, ThreadLocalRandom.current()::nextDouble);
    }

    /** The same steps multiplied by {@code factor} instead. */
    public Backoff factor(double factor) {
        return new Backoff(first, factor, max, jitterLow, jitterHigh, random);
    }

    /** The same steps spread between {@code low} and {@code high} times their length. */
    public Backoff jitter(double low, double high) {
        return new Backoff(first, factor, max, low, high, random);
    }

    public Backoff random(DoubleSupplier random) {
        return new Backoff(first, factor, max, jitterLow, jitterHigh, random);
    }

    /** The wait after {@code failures} failures (0: before the first retry). */
    public Duration delay(int failures) {
        double step = first.toMillis() * Math.pow(factor, Math.min(Math.max(failures, 0), 62));
        double base = Math.min(step, max.toMillis());
        double spread = jitterLow + (jitterHigh - jitterLow) * random.getAsDouble();
        long millis = Math.round(base * spread);
        return Duration.ofMillis(Math.max(Math.round(first.toMillis() * Math.min(1, jitterLow)),
                Math.min(max.toMillis(), millis)));
    }

    /** A running count of failures against this backoff, for a loop that retries one thing. Not thread-safe. */
    public Attempts attempts() {
        return new Attempts(this);
    }

    /** Failures so far: each {@link #next} counts one and gives its wait; {@link #reset} starts over. */
    public static final class Attempts {

        private final Backoff backoff;
        private int failures;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** Counts a failure and gives the wait before the next attempt. */
        public Duration next() {
            return backoff.delay(failures++);
        }

        /** Counts a failure whose wait is decided elsewhere. */
        public void count() {
            failures++;
        }

        public void reset() {
            failures = 0;
        }
    }
}
