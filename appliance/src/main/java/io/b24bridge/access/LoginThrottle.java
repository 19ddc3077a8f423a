package io.b24bridge.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Slows password guessing, per account name and per client address alike: after {@link #FREE} failures the name (or
 * address) is locked out for {@link #FIRST_LOCK}, and each further failure doubles that, up to {@link #LONGEST}. While locked out an attempt is refused without looking at the password. A success clears
 * the name's and the address's count; a quiet hour forgets them.
 */
public final class LoginThrottle {

    static final int FREE = 5;
    static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    static final Duration LONGEST = Duration.ofMinutes(15);

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Cache<String, Failures> byName;
    private final Cache<String, Failures> byAddress;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
        this.byName = cache();
        this.byAddress = cache();
    }

    private static Cache<String, Failures> cache() {
        return Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1))
                .executor(Runnable::run).build();
    }

    /** How long an attempt for {@code name} from {@code address} must wait; empty: it may be tried now. */
    public Optional<Duration> wait(String name, String address) {
        Instant now = clock.instant();
        Instant until = later(locked(byName, key(name)), locked(byAddress, address));
        return until == null || !until.isAfter(now) ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    public void failed(String name, String address) {
        count(byName, key(name));
        count(byAddress, address);
    }

    public void succeeded(String name, String address) {
        byName.invalidate(key(name));
        byAddress.invalidate(address);
    }

    private void count(Cache<String, Failures> cache, String key) {
        Instant now = clock.instant();
        cache.asMap().compute(key, (k, f) -> {
            int n = f == null ? 1 : f.count() + 1;
            if (n < FREE) {
                return new Failures(n, null);
            }
            long seconds = Math.min(LONGEST.toSeconds(), FIRST_LOCK.toSeconds() << Math.min(20, n - FREE));
            return new Failures(n, now.plusSeconds(seconds));
        });
    }

    private static Instant locked(Cache<String, Failures> cache, String key) {
        Failures f = cache.getIfPresent(key);
        return f == null ? null : f.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static String key(String name) {
        return name == null ? "" : name.length() > 64 ? name.substring(0, 64) : name;
    }
}
