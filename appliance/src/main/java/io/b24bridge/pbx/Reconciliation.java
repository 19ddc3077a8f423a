package io.b24bridge.pbx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallEngine;
import io.b24bridge.crm.CallEngine.Reconciled;

/**
 * No call lost: one PBX's own call records of the last {@code lookback}, compared with what reached the CRM (the
 * {@code reconcile-<pbx>} job: every few minutes, and once after every start and AMI reconnect). A call never seen —
 * it started and ended while the appliance or its AMI link was down — is registered and finished with its real
 * times, status, operator and recording; a call whose finish waits for its record is finished from it; a call the
 * CRM has, or one in progress, is left as it is. Runs only while the AMI link is up: only then does the model know
 * which calls are still in progress. Calls that ended less than {@link #SETTLE} ago wait for the next run, so the
 * AMI events of a call that just ended are in the model before its record is looked at. No call that ended before
 * the appliance first followed the PBX is registered: a new installation does not replay the PBX's history (one in
 * progress then is the appliance's: its first snapshot found it). When
 * some of those that wait are calls the engine does not know (they ended while it was away: just before a restart or
 * a reconnect), the reconciliation asks to run again as soon as they are old enough ({@link #whenCallsSettle}), not
 * at its next regular run minutes later; calls the engine knows (the AMI link saw them) never ask for that. A call
 * that ended partly unseen waits for its row ({@code record-wait}): a run is asked for when that wait ends, and it
 * is that run, not the clock, that finishes the call with what was seen if its row is not there — on a busy
 * appliance a run can come late, and a row written in time must not be given up before it was read.
 */
public final class Reconciliation implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class.getName());
    /** How long after a call's last row the reconciliation looks at it (the PBX's and this clock agree: NTP). */
    public static final Duration SETTLE = Duration.ofSeconds(10);
    /** The shortest wait before a run asked for by the calls left for being too recent. */
    static final Duration MIN_AGAIN = Duration.ofSeconds(1);
    /**
     * How soon an ask the scheduler refused is made again. The scheduler keeps its asks in the database: while that
     * is down or read-only (a full disk) every ask fails, and the calls it was for — those an AMI gap hid, above all
     * — would wait for the regular run, 10 minutes by default (FaultSuiteDiskFullTest, 2026-12-03: 264 calls of a gap
     * during the read-only boot, never registered by the end of the run).
     */
    static final Duration ASK_AGAIN = Duration.ofSeconds(2);
    /** Refusals in a row after which it stops asking again: the regular run (10 minutes by default) comes by then. */
    static final int ASK_TRIES = 300;
    /** Failed runs in a row after which a failure waits for the regular run (a broken Master.csv is not read every 2 s). */
    static final int RUN_TRIES = 30;

    private final String pbx;
    private final PbxRecords records;
    private final CallEngine engine;
    private final BooleanSupplier linkUp;
    private final Supplier<Instant> firstFollowed;
    private final Duration lookback;
    private final Clock clock;
    /** Told how long until the calls it left for being too recent can be looked at. */
    private volatile Consumer<Duration> runAgain = d -> { };
    /** When the run asked for last starts (null: none asked since the last run began); guarded by this. */
    private Instant asked;
    /** Hands the asks to the scheduler in order, off the engine's lock (an ask is a database write). */
    private final ScheduledExecutorService asks =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("reconcile-ask-", 0).factory());
    /** Asks refused in a row (said once, when the first is). */
    private final AtomicInteger refused = new AtomicInteger();
    /** Runs that failed in a row. */
    private final AtomicInteger failedRuns = new AtomicInteger();

    Reconciliation(String pbx, PbxRecords records, CallEngine engine, BooleanSupplier linkUp,
                   Supplier<Instant> firstFollowed, Duration lookback, Clock clock) {
        this.pbx = pbx;
        this.records = records;
        this.engine = engine;
        this.linkUp = linkUp;
        this.firstFollowed = firstFollowed;
        this.lookback = lookback;
        this.clock = clock;
    }

    public String pbx() {
        return pbx;
    }

    /**
     * Where to ask for another run, {@code delay} from now, when calls the engine does not know ended too recently
     * to be looked at (the jobs' {@code runSoon}: set once the scheduler exists, which is made after this).
     */
    public void whenCallsSettle(Consumer<Duration> runAgain) {
        this.runAgain = Objects.requireNonNull(runAgain);
        engine.whenRecordWanted(pbx, waitEnds -> runAt(waitEnds.plus(SETTLE), true));
    }

    /** Asks for a run {@code delay} from now (after an AMI reconnect: the calls that ended while it was away). */
    public void runSoon(Duration delay) {
        runAt(clock.instant().plus(delay), false);
    }

    /**
     * Asks for a run at {@code when}, unless one is asked for at or before it (that run asks again for what it
     * leaves): the scheduler keeps one ask per job, the last, so a later ask must not push back an earlier one.
     * {@code offThread}: the caller holds the engine's lock, and an ask is a database write.
     */
    private void runAt(Instant when, boolean offThread) {
        Instant now = clock.instant();
        Duration until = Duration.between(now, when);
        Duration delay = until.compareTo(MIN_AGAIN) < 0 ? MIN_AGAIN : until;
        synchronized (this) {
            // an earlier ask covers this one only while its run is still to come: one whose time has passed without
            // the run starting was lost on the way (the scheduler failed to fire it while its database was away:
            // FaultSuiteDiskFullTest in CI, 2026-12-03, 59 calls of four AMI gaps never registered), and asking again
            // costs at most a second run, which registers nothing twice
            if (asked != null && !asked.isAfter(when) && asked.isAfter(now)) {
                return;
            }
            asked = when;
            if (offThread) {
                try {
                    asks.execute(() -> ask(when, delay)); // in order: one thread
                } catch (RejectedExecutionException stopping) {
                    asked = null; // the appliance stops: the next start's reconnect asks for a run anyway
                }
                return;
            }
        }
        ask(when, delay);
    }

    private void ask(Instant when, Duration delay) {
        try {
            runAgain.accept(delay);
        } catch (RuntimeException e) {
            synchronized (this) {
                if (when.equals(asked)) {
                    asked = null; // not asked after all: the next ask must not be skipped for it
                }
            }
            int inARow = refused.incrementAndGet();
            if (inARow == 1) {
                LOG.warning("PBX " + pbx + ": the reconciliation's next run could not be asked for (" + e.getMessage()
                        + "); asked again every " + ASK_AGAIN.toSeconds() + " s until the scheduler takes it");
            }
            if (inARow < ASK_TRIES) {
                try {
                    asks.schedule(() -> runAt(when, false), ASK_AGAIN.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    return; // the appliance stops (its database closing refused the ask): nobody to ask again for
                }
            }
            return;
        }
        int n = refused.getAndSet(0);
        if (n > 0) {
            LOG.info(() -> "PBX " + pbx + ": the reconciliation's next run was asked for after " + n + " refusals");
        }
    }

    /**
     * Stops asking: an ask still waiting to be made again (the scheduler refused it) is dropped — the next start's
     * AMI connect asks for a run of its own — and the asking thread ends with the appliance, not after 300 tries.
     */
    @Override
    public void close() {
        asks.shutdownNow();
        try {
            if (!asks.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("PBX " + pbx + ": an ask for the reconciliation's run did not end within 5 s of the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the asking has ended (after {@link #close}). */
    boolean askingEnded() {
        return asks.isTerminated();
    }

    /**
     * One comparison; returns what it did, in one line (the job's last result). A run that fails (its database
     * refused a read while it was read-only after a full disk; the records could not be read) is asked for again
     * {@link #ASK_AGAIN} later, up to {@link #RUN_TRIES} times in a row, not at the regular run minutes later: the calls
     * of a gap it was asked for are the ones it would have registered.
     */
    public String run() {
        synchronized (this) {
            asked = null; // this run: what it leaves, it asks for again
        }
        try {
            String result = compare();
            failedRuns.set(0);
            return result;
        } catch (RuntimeException e) {
            if (failedRuns.incrementAndGet() < RUN_TRIES) {
                runAt(clock.instant().plus(ASK_AGAIN), false);
            }
            throw e;
        }
    }

    private String compare() {
        if (!linkUp.getAsBoolean()) {
            return "skipped: the AMI link to PBX " + pbx + " is down, so the calls in progress are unknown; "
                    + "it runs again once the link is back";
        }
        Instant now = clock.instant();
        Instant from = now.minus(lookback);
        Instant first = firstFollowed.get();
        if (first.isAfter(now)) {
            return "skipped: PBX " + pbx + " was never followed yet";
        }
        Map<String, List<CallFact.RecordedLeg>> calls = records.startedSince(from);
        Map<Reconciled, Integer> counts = new EnumMap<>(Reconciled.class);
        int recent = 0;
        int history = 0;
        Instant settled = null; // when the last unknown call left for being too recent can be looked at
        List<Map.Entry<String, List<CallFact.RecordedLeg>>> byStart = calls.entrySet().stream()
                .sorted(Comparator.comparing(e -> firstStart(e.getValue()))).toList();
        Map<CallKey, Instant> recentEnds = new HashMap<>(); // ended too recently: known to the engine?
        for (Map.Entry<String, List<CallFact.RecordedLeg>> call : byStart) {
            Instant lastEnd = call.getValue().stream().map(CallFact.RecordedLeg::end).filter(Objects::nonNull)
                    .max(Instant::compareTo).orElse(null);
            if (lastEnd != null && lastEnd.isBefore(first)) {
                // a new installation does not replay the PBX's history into Bitrix24: the calls that ended before
                // the appliance first followed the PBX. One that was in progress then is the appliance's (its first
                // snapshot found it): by its start it was left out, and one the model could not announce was lost
                history++;
                continue;
            }
            if (lastEnd == null || lastEnd.isAfter(now.minus(SETTLE))) {
                recent++;
                if (lastEnd != null) {
                    recentEnds.put(new CallKey(pbx, call.getKey()), lastEnd);
                }
                continue;
            }
            Reconciled r = engine.reconcile(new CallFact.PbxRecord(pbx, now, call.getKey(), call.getValue()));
            counts.merge(r, 1, Integer::sum);
        }
        // one question for all of them (a query per call held the engine's lock ~500 times a run)
        Set<CallKey> known = recentEnds.isEmpty() ? Set.of() : engine.known(recentEnds.keySet());
        for (Map.Entry<CallKey, Instant> e : recentEnds.entrySet()) {
            if (!known.contains(e.getKey())) {
                Instant at = e.getValue().plus(SETTLE);
                settled = settled == null || at.isAfter(settled) ? at : settled;
            }
        }
        // every row written SETTLE before this run was looked at: a call still waiting whose wait ended by then
        // has no row, and goes with what was seen
        engine.recordsRead(pbx, now.minus(SETTLE));
        Instant waitEnds = engine.recordWaitEnds(pbx).map(w -> w.plus(SETTLE)).orElse(null);
        int registered = counts.getOrDefault(Reconciled.REGISTERED, 0);
        int finished = counts.getOrDefault(Reconciled.FINISHED, 0);
        String result = (calls.size() - history) + " calls in " + records.where() + " since " + from
                + (history > 0 ? " (and " + history + " that ended before PBX " + pbx + " was first followed, left alone)" : "")
                + ": "
                + registered + " registered (never seen), " + finished + " finished from their record, "
                + counts.getOrDefault(Reconciled.KNOWN, 0) + " known, " + counts.getOrDefault(Reconciled.LIVE, 0)
                + " in progress, " + counts.getOrDefault(Reconciled.LEFT_ALONE, 0) + " left alone, " + recent
                + " ended too recently (next run)";
        if (registered + finished > 0) {
            LOG.info(() -> "PBX " + pbx + " reconciled: " + result);
        }
        if (settled != null || waitEnds != null) {
            // one more run once the last of them settled (a second at least: rows written in the same second), or
            // when the first wait for a record ends, whichever comes first
            Instant next = settled == null || waitEnds != null && waitEnds.isBefore(settled) ? waitEnds : settled;
            runAt(next, false);
            return result + (settled != null ? "; calls never seen among them" : "")
                    + (waitEnds != null ? "; calls waiting for their record" : "") + ": runs again at "
                    + (next.isBefore(now.plus(MIN_AGAIN)) ? now.plus(MIN_AGAIN) : next);
        }
        return result;
    }

    private static Instant firstStart(List<CallFact.RecordedLeg> rows) {
        return rows.stream().map(CallFact.RecordedLeg::start).min(Instant::compareTo).orElse(Instant.MAX);
    }
}
