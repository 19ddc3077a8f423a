package io.b24bridge.pbx;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Waits between reconnect attempts: {@code min}, then doubling up to {@code max}, each spread by ±20 % so
 * that several appliances (or several PBX links) do not knock on a restarted Asterisk in step.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The wait before the next attempt; each call counts one more failure. */
    Duration next() {
        long base = minMillis << Math.min(failures, 30);
        if (base <= 0 || base > maxMillis) {
            base = maxMillis;
        }
        failures++;
        long jittered = Math.round(base * (0.8 + 0.4 * random.getAsDouble()));
        return Duration.ofMillis(Math.max(minMillis, Math.min(maxMillis, jittered)));
    }

    /** The wait after a refused login: long, so a lock-out policy on the PBX is not triggered. */
    Duration slow(Duration wait) {
        failures++;
        return Duration.ofMillis(Math.round(wait.toMillis() * (0.9 + 0.2 * random.getAsDouble())));
    }

    void reset() {
        failures = 0;
    }
}
