package io.b24bridge.testkit.bitrix;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The box's request limit as a leaky bucket per application or webhook (§1, §5.9): each request adds one,
 * the bucket drains {@code perSecond}; a request that would overflow {@code burst} is refused with
 * QUERY_LIMIT_EXCEEDED and not executed. A batch is one request. Off by default, as on many boxes.
 */
public final class RateLimiter {

    /** The limiter's settings. */
    public record Config(boolean enabled, int burst, double perSecond) {
    }

    private static final class Bucket {
        double level;
        long lastNanos;
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Config config = new Config(false, 50, 2.0);

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
            nb.lastNanos = System.nanoTime();
            return nb;
        });
        synchronized (b) {
            long now = System.nanoTime();
            b.level = Math.max(0, b.level - (now - b.lastNanos) / 1e9 * c.perSecond());
            b.lastNanos = now;
            if (b.level + 1 > c.burst()) {
                return false;
            }
            b.level += 1;
            return true;
        }
    }
}
