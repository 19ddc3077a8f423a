package io.b24bridge.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The panel's sessions, in memory only (a restart signs everybody out): opened with a password, carried by a
 * cookie ({@link #COOKIE}: {@code Secure; HttpOnly; SameSite=Strict}, the {@code __Host-} prefix pinning it to this
 * listener), each with its own CSRF token that every change must echo in {@link #CSRF_HEADER}. A session ends
 * after {@link #IDLE} without use or {@link #LONGEST} after it began, and when its account is changed.
 */
public final class Sessions {

    public static final String COOKIE = "__Host-b24bridge-session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LONGEST = Duration.ofHours(12);
    static final int PER_ACCOUNT = 20;

    /** An open session; {@code csrf} goes to the panel with the login's answer and comes back with every change. */
    public record Session(Identity identity, String csrf, Instant started, Instant lastUsed) {
    }

    /** A session just opened: {@code cookie} is what the browser keeps (never stored here). */
    public record Opened(Session session, String cookie) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** By the SHA-256 of the cookie: the cookie itself is kept nowhere on the appliance. */
    private final Map<String, Session> byCookieHash = new ConcurrentHashMap<>();

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    public Opened open(Identity identity) {
        String cookie = randomToken();
        Instant now = clock.instant();
        Session s = new Session(new Identity(identity.name(), identity.role(), Identity.Via.SESSION), randomToken(),
                now, now);
        byCookieHash.put(hash(cookie), s);
        trim(identity.name());
        return new Opened(s, cookie);
    }

    /** The live session of a cookie (its use counted now), or empty when it is unknown or has ended. */
    public Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        String key = hash(cookie);
        Session s = byCookieHash.get(key);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.lastUsed().plus(IDLE)) || now.isAfter(s.started().plus(LONGEST))) {
            byCookieHash.remove(key, s);
            return Optional.empty();
        }
        Session used = new Session(s.identity(), s.csrf(), s.started(), now);
        byCookieHash.replace(key, s, used);
        return Optional.of(used);
    }

    public void close(String cookie) {
        if (cookie != null) {
            byCookieHash.remove(hash(cookie));
        }
    }

    /** Ends every session of an account (its password, role or state changed, or it was deleted). */
    public void closeAll(String account) {
        byCookieHash.values().removeIf(s -> s.identity().name().equals(account));
    }

    /** Whether {@code presented} is the session's CSRF token (constant time). */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Keeps an account's newest {@link #PER_ACCOUNT} sessions: a script logging in in a loop does not pile them up. */
    private void trim(String account) {
        var mine = byCookieHash.entrySet().stream().filter(e -> e.getValue().identity().name().equals(account))
                .sorted(Comparator.comparing((Map.Entry<String, Session> e) -> e.getValue().started()).reversed())
                .toList();
        mine.stream().skip(PER_ACCOUNT).forEach(e -> byCookieHash.remove(e.getKey()));
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String cookie) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(cookie.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
