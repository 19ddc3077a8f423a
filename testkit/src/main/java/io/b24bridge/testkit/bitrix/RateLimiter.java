package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The box's request limit as a leaky bucket per application or webhook (§1, §5.9): each request adds one,
 * the bucket drains {@code perSecond}; a request that would overflow {@code burst} is refused with
 * QUERY_LIMIT_EXCEEDED and not executed. A batch is one request. Off by default, as on many boxes. The bucket
 * drains by the box's clock, so a test moves time on instead of sleeping (and a slow machine, taking long between
 * two requests, does not drain it under the test's feet).
 */
public final class RateLimiter {

    /** The limiter's settings. */
    public record Config(boolean enabled, int burst, double perSecond) {
    }

    private static final class Bucket {
        double level;
        Instant last;
    }

    private final Clock clock;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Config config = new Config(false, 50, 2.0);

    RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Turns the limit on with this burst and drain rate (the cloud's: 50 and 2/s). */
    public RateLimiter enable(int burst, double perSecond) {
        if (burst < 1 || perSecond <= 0) {
            throw new IllegalArgumentException("burst must be >= 1 and perSecond > 0");
        }
        config = new Config(true, burst, perSecond);
        buckets.clear();
        return this;
    }

    public RateLimiter disable() {
        config = new Config(false, config.burst(), config.perSecond());
        buckets.clear();
        return this;
    }

    /** As the builder gives it: a burst above 0 turns the limit on with that drain rate, 0 leaves it off. */
    RateLimiter configure(int burst, double perSecond) {
        return burst > 0 ? enable(burst, perSecond) : disable();
    }

    public Config config() {
        return config;
    }

    /** True when the request may run (and is counted); false when it must be refused. */
    boolean tryAcquire(String principal) {
        Config c = config;
        if (!c.enabled()) {
            return true;
        }
        Bucket b = buckets.computeIfAbsent(principal, k -> {
            Bucket nb = new Bucket();
            nb.last = clock.instant();
            return nb;
        });
        synchronized (b) {
            Instant now = clock.instant();
            // a clock set back drains nothing (and fills nothing either)
            long elapsedNanos = Math.max(0, Duration.between(b.last, now).toNanos());
            b.level = Math.max(0, b.level - elapsedNanos / 1e9 * c.perSecond());
            b.last = now;
            if (b.level + 1 > c.burst()) {
                return false;
            }
            b.level += 1;
            return true;
        }
    }
}
