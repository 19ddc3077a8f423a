package io.b24bridge.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Extensions to Bitrix24 users (user.get, UF_PHONE_INNER): read whole, kept in memory, read again every
 * {@link #MAX_AGE} and when an unknown extension is asked for (at most every {@link #MISS_PAUSE}, so a phone
 * nobody owns does not hammer the box).
 */
public final class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class.getName());
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    static final Duration MISS_PAUSE = Duration.ofSeconds(30);

    private final CrmApi crm;
    private final Clock clock;
    private volatile Map<String, CrmApi.User> byExtension = Map.of();
    private volatile Map<Integer, CrmApi.User> byId = Map.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    public UserDirectory(CrmApi crm, Clock clock) {
        this.crm = crm;
        this.clock = clock;
    }

    /** The user with this extension; reads the directory again when it is old or lacks the extension. */
    public Optional<CrmApi.User> byExtension(String extension) throws BoxException {
        Instant seen = loadedAt;
        Duration age = Duration.between(seen, clock.instant());
        CrmApi.User user = byExtension.get(extension);
        if (age.compareTo(MAX_AGE) > 0 || (user == null && age.compareTo(MISS_PAUSE) > 0)) {
            refreshSince(seen);
            user = byExtension.get(extension);
        }
        return Optional.ofNullable(user);
    }

    /** The user with this id among those with an extension; read again like {@link #byExtension}. */
    public Optional<CrmApi.User> byId(int id) throws BoxException {
        Instant seen = loadedAt;
        Duration age = Duration.between(seen, clock.instant());
        CrmApi.User user = byId.get(id);
        if (age.compareTo(MAX_AGE) > 0 || (user == null && age.compareTo(MISS_PAUSE) > 0)) {
            refreshSince(seen);
            user = byId.get(id);
        }
        return Optional.ofNullable(user);
    }

    /**
     * Reads the directory again unless another thread did since {@code seen}: the senders that found it old
     * together wait for one read, not one each in turn (on a box taking 2 s a request, a miss on an extension
     * nobody owns queued every sender behind reads of their own, and the outbox stood still).
     */
    private synchronized void refreshSince(Instant seen) throws BoxException {
        if (loadedAt.equals(seen)) {
            refresh();
        }
    }

    /** Reads every user with an extension now. */
    public synchronized void refresh() throws BoxException {
        List<CrmApi.User> users = crm.usersWithExtensions();
        Map<String, CrmApi.User> map = new HashMap<>();
        Map<Integer, CrmApi.User> ids = new HashMap<>();
        for (CrmApi.User u : users) {
            map.put(u.extension(), u);
            ids.put(u.id(), u);
        }
        byExtension = Map.copyOf(map);
        byId = Map.copyOf(ids);
        loadedAt = clock.instant();
        LOG.fine(() -> "user directory: " + map.size() + " users with extensions");
    }

    public int size() {
        return byExtension.size();
    }
}
