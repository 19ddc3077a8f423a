package io.b24bridge.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The CRM's answers, kept for a while, and the questions to it in flight: a fresh answer is returned at once
 * without touching the network; otherwise one load per key runs in the background (callers asking for the
 * same key share it) and the caller waits for it at most until its deadline. A load that finishes after the
 * deadline still fills the cache for the next call. An answer older than its time limit is still given when
 * the CRM does not answer in time — better the responsible of ten minutes ago than none — but not for ever:
 * the cache (Caffeine) holds at most {@link #MAX_ENTRIES} numbers and forgets an answer {@link #KEEP} after it
 * came, so months of calls from ever new numbers do not fill the heap.
 */
final class AnswerCache<V> {

    /** The most answers kept: the callers of a busy line over the day, with room to spare. */
    static final long MAX_ENTRIES = 50_000;
    /** How long an answer is kept to stand in for a CRM that does not answer in time. */
    static final Duration KEEP = Duration.ofHours(24);
    /**
     * The most questions out to the CRM at once. A flood of new numbers (a scan, spoofed caller IDs) beyond it is
     * answered from the cache or the route's defaults without asking: questions do not pile up behind the CRM.
     */
    static final int MAX_IN_FLIGHT = 64;

    /** Loads the answer for a key (blocking, may be slow or fail). */
    interface Loader<V> {
        Optional<V> load(String key) throws CrmDirectory.Unavailable;
    }

    /**
     * What a lookup found.
     *
     * @param value    the answer (empty: the CRM does not know the key, or nothing was known)
     * @param answered the CRM answered for this key, now or earlier; false: nothing is known
     * @param source   CACHE, CRM, STALE_CACHE or ROUTE_DEFAULT (nothing known)
     */
    record Lookup<V>(Optional<V> value, boolean answered, RouteDecision.Source source) {
    }

    /** An answer and when it came ({@link RoutingTime#nanos()}). */
    private record Entry<V>(Optional<V> value, long atNanos) {
    }

    private final Loader<V> loader;
    private final Executor executor;
    private final RoutingTime time;
    private final Consumer<Boolean> outcome;
    private final Runnable tooSlow;
    private final Cache<String, Entry<V>> entries;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<V>>> loading = new ConcurrentHashMap<>();

    /** How a lookup may use the CRM. */
    enum Mode {
        /** ask it and wait until the deadline */
        WAIT,
        /** ask it, but do not wait (the answer is for the next call) */
        ASK,
        /** the cache only */
        CACHE
    }

    /**
     * @param outcome told after each load whether the CRM answered (true) or failed (false)
     * @param tooSlow told when a caller stopped waiting for a load at its deadline
     */
    AnswerCache(Loader<V> loader, Executor executor, RoutingTime time, Consumer<Boolean> outcome, Runnable tooSlow) {
        this.loader = loader;
        this.executor = executor;
        this.time = time;
        this.outcome = outcome;
        this.tooSlow = tooSlow;
        this.entries = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(KEEP)
                .ticker(time::nanos)
                .executor(Runnable::run) // eviction's upkeep on the caller's thread: no pool of its own
                .build();
    }

    /**
     * The answer for {@code key}: from the cache when younger than {@code ttl} ({@code negativeTtl} for "not
     * known"), else from the CRM if it answers before {@code waitUntilNanos} (on {@link RoutingTime#nanos()}),
     * else the last answer however old, else nothing.
     *
     * @param modes whether the CRM is asked and waited for (it may be known to be away); asked only on a miss
     */
    Lookup<V> get(String key, Duration ttl, Duration negativeTtl, long waitUntilNanos, Supplier<Mode> modes) {
        Entry<V> known = entries.getIfPresent(key);
        if (known != null && fresh(known, ttl, negativeTtl)) {
            return new Lookup<>(known.value(), true, RouteDecision.Source.CACHE);
        }
        Mode mode = modes.get();
        CompletableFuture<Optional<V>> load = mode == Mode.CACHE ? loading.get(key) : load(key);
        if (load != null && (mode == Mode.WAIT || load.isDone())) {
            try {
                long left = Math.max(0, waitUntilNanos - time.nanos());
                return new Lookup<>(time.await(load, left), true, RouteDecision.Source.CRM);
            } catch (TimeoutException e) {
                tooSlow.run(); // too slow counts as away until a load succeeds again
            } catch (ExecutionException e) {
                // failed (the load said so): what was known before, if anything
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (known != null) {
            return new Lookup<>(known.value(), true, RouteDecision.Source.STALE_CACHE);
        }
        return new Lookup<>(Optional.empty(), false, RouteDecision.Source.ROUTE_DEFAULT);
    }

    /**
     * Starts loading {@code key} unless a load for it runs already; the result lands in the cache. Null when
     * {@link #MAX_IN_FLIGHT} questions are out already (nothing started).
     */
    CompletableFuture<Optional<V>> load(String key) {
        CompletableFuture<Optional<V>> inFlight = loading.get(key);
        if (inFlight != null) {
            return inFlight;
        }
        if (loading.size() >= MAX_IN_FLIGHT) {
            return null;
        }
        CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<V>> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        try {
            executor.execute(() -> {
                try {
                    Optional<V> value = loader.load(key);
                    entries.put(key, new Entry<>(value, time.nanos()));
                    loading.remove(key, mine);
                    outcome.accept(true);
                    mine.complete(value);
                } catch (CrmDirectory.Unavailable | RuntimeException e) {
                    loading.remove(key, mine);
                    outcome.accept(false);
                    mine.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            loading.remove(key, mine);
            mine.completeExceptionally(rejected);
        }
        return mine;
    }

    private boolean fresh(Entry<V> e, Duration ttl, Duration negativeTtl) {
        Duration limit = e.value().isPresent() ? ttl : negativeTtl;
        return time.nanos() - e.atNanos() < limit.toNanos();
    }
}
