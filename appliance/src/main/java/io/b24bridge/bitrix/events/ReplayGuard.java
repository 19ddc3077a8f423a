package io.b24bridge.bitrix.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Refuses an event that was taken already, or whose {@code ts} lies outside {@link #WINDOW} of now. The box stamps
 * every event with the moment it sent it ({@code ts}, Unix seconds: rest/lib/event/sender.php builds
 * {@code QUERY_DATA} with {@code ts => time()}); the cloud queue hands it on within seconds. An event is the same
 * event when its name, {@code ts} and data are the same, whatever tokens ride along; such events are remembered for
 * the window (at most {@link #MAX_REMEMBERED}), so a captured event cannot be played again while its {@code ts}
 * would still pass. Events without {@code ts} are not judged here (nothing to judge them by).
 */
final class ReplayGuard {

    /** How far {@code ts} may lie from the appliance's clock, either way (the box's and ours follow NTP). */
    static final Duration WINDOW = Duration.ofHours(1);
    static final long MAX_REMEMBERED = 200_000;

    private final Clock clock;
    private final Cache<String, Boolean> seen;

    ReplayGuard(Clock clock) {
        this.clock = clock;
        this.seen = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED)
                // an event older than the window is refused by its ts anyway: no need to remember it longer
                .expireAfterWrite(WINDOW.multipliedBy(2))
                .executor(Runnable::run)
                .build();
    }

    /**
     * Empty when the event may be taken (and it is remembered from now on); else why not, for the sender and the
     * log. Call only for authenticated events, so strangers cannot fill the memory.
     */
    Optional<String> check(String event, String ts, Map<String, Object> data) {
        if (ts.isEmpty()) {
            return Optional.empty();
        }
        if (!ts.matches("[0-9]{1,12}")) {
            return Optional.of("ts '" + FormData.printable(ts) + "' is not a Unix time");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(ts));
        Duration off = Duration.between(clock.instant(), at).abs();
        if (off.compareTo(WINDOW) > 0) {
            return Optional.of("ts " + at + " is more than " + WINDOW.toMinutes() + " minutes from the appliance's "
                    + "clock (" + clock.instant() + "): a stale or replayed event, or a clock out of step");
        }
        String key = digest(event, ts, data);
        if (seen.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
            return Optional.of("the same " + event + " (ts " + ts + ") was taken already: a replay");
        }
        return Optional.empty();
    }

    private static String digest(String event, String ts, Map<String, Object> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((event + "\n" + ts + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(String.valueOf(new TreeMap<>(data)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
