package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last N requests the box served (REST, OAuth, uploads), for tests and the state page. A lock-free ring:
 * the hot path pays one atomic increment and one array store, and memory stays bounded however long it runs.
 */
public final class RequestLog {

    /**
     * One request. Secrets (tokens, webhook secrets, client secrets) are masked and file contents summarised
     * before an entry is made.
     *
     * @param authKind {@code application}, {@code webhook}, {@code none}, {@code oauth} or {@code upload}
     * @param error    the error code answered ({@code ""} for the empty-code telephony errors), null on success
     */
    public record Entry(long seq, Instant at, String httpMethod, String path, String method, String authKind,
                        Integer userId, Map<String, Object> params, int status, String error,
                        String errorDescription, long micros) {
    }

    private final AtomicReferenceArray<Entry> ring;
    private final AtomicLong seq = new AtomicLong();

    RequestLog(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    void add(Instant at, String httpMethod, String path, String method, String authKind, Integer userId,
             Map<String, Object> params, int status, String error, String errorDescription, long micros) {
        long n = seq.incrementAndGet();
        ring.set((int) ((n - 1) % ring.length()), new Entry(n, at, httpMethod, path, method, authKind, userId,
                params, status, error, errorDescription, micros));
    }

    /** The most recent {@code limit} entries, oldest first. */
    public List<Entry> recent(int limit) {
        long last = seq.get();
        long first = Math.max(1, last - Math.min(limit, ring.length()) + 1);
        List<Entry> out = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            Entry e = ring.get((int) ((n - 1) % ring.length()));
            if (e != null && e.seq() == n) {
                out.add(e);
            }
        }
        return out;
    }

    public List<Entry> all() {
        return recent(ring.length());
    }

    /** How many requests were logged since start or the last clear (more than are kept, once the ring wraps). */
    public long count() {
        return seq.get();
    }

    void clear() {
        for (int i = 0; i < ring.length(); i++) {
            ring.set(i, null);
        }
        seq.set(0);
    }
}
