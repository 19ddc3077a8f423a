package io.b24bridge.bitrix;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a check of the box ({@link LeadSourceCheck}, {@link ExternalLines}, {@link OutgoingLinesCheck}) runs: on a
 * thread of its own, one check at a time, in the background or on the caller's thread; a report that says the box
 * could not be asked brings another check a minute later, and any check cancels the one waiting. The last report is
 * what /health shows.
 *
 * @param <R> the check's report
 */
final class BoxCheckRunner<R> implements AutoCloseable {

    /** How long after a check the box could not answer it is tried again. */
    static final Duration RETRY = Duration.ofMinutes(1);

    private final Supplier<R> check;
    private final Predicate<R> boxAway;
    private final ScheduledExecutorService worker;
    private volatile R last;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> periodic;

    /**
     * @param thread  the name of its thread
     * @param check   one look at the box; never throws (a box that could not be asked is in the report)
     * @param boxAway whether a report says the box could not be asked
     */
    BoxCheckRunner(String thread, Supplier<R> check, Predicate<R> boxAway) {
        this.check = check;
        this.boxAway = boxAway;
        this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(thread).daemon().factory());
    }

    /** Checks now, in the background. */
    void soon() {
        worker.execute(this::now);
    }

    /** Checks now in the background, and from then on every {@code every}. */
    synchronized void every(Duration every) {
        if (periodic == null) {
            periodic = worker.scheduleWithFixedDelay(this::now, 0, every.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Checks on the caller's thread; the report is also {@link #last()} from now on. */
    synchronized R now() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        R report = check.get();
        if (boxAway.test(report)) {
            retry = worker.schedule(this::now, RETRY.toSeconds(), TimeUnit.SECONDS);
        }
        last = report;
        return report;
    }

    /** The last report, or null before the first check. */
    R last() {
        return last;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
