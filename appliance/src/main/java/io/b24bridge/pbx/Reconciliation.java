package io.b24bridge.pbx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * AMI events of a call that just ended are in the model before its record is looked at. No call that began before
 * the appliance first followed the PBX is registered: a new installation does not replay the PBX's history. When
 * some of those that wait are calls the engine does not know (they ended while it was away: just before a restart or
 * a reconnect), the reconciliation asks to run again as soon as they are old enough ({@link #whenCallsSettle}), not
 * at its next regular run minutes later; calls the engine knows (the AMI link saw them) never ask for that.
 */
public final class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class.getName());
    /** How long after a call's last row the reconciliation looks at it (the PBX's and this clock agree: NTP). */
    public static final Duration SETTLE = Duration.ofSeconds(10);
    /** The shortest wait before a run asked for by the calls left for being too recent. */
    static final Duration MIN_AGAIN = Duration.ofSeconds(1);

    private final String pbx;
    private final PbxRecords records;
    private final CallEngine engine;
    private final BooleanSupplier linkUp;
    private final Supplier<Instant> firstFollowed;
    private final Duration lookback;
    private final Clock clock;
    /** Told how long until the calls it left for being too recent can be looked at. */
    private volatile Consumer<Duration> runAgain = d -> { };

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
    }

    /** One comparison; returns what it did, in one line (the job's last result). */
    public String run() {
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
        if (first.isAfter(from)) {
            from = first; // a new installation: the PBX's history before it is not replayed into Bitrix24
        }
        Map<String, List<CallFact.RecordedLeg>> calls = records.startedSince(from);
        Map<Reconciled, Integer> counts = new EnumMap<>(Reconciled.class);
        int recent = 0;
        Instant settled = null; // when the last unknown call left for being too recent can be looked at
        List<Map.Entry<String, List<CallFact.RecordedLeg>>> byStart = calls.entrySet().stream()
                .sorted(Comparator.comparing(e -> firstStart(e.getValue()))).toList();
        for (Map.Entry<String, List<CallFact.RecordedLeg>> call : byStart) {
            Instant lastEnd = call.getValue().stream().map(CallFact.RecordedLeg::end).filter(Objects::nonNull)
                    .max(Instant::compareTo).orElse(null);
            if (lastEnd == null || lastEnd.isAfter(now.minus(SETTLE))) {
                recent++;
                if (lastEnd != null && !engine.knows(new CallKey(pbx, call.getKey()))) {
                    Instant at = lastEnd.plus(SETTLE);
                    settled = settled == null || at.isAfter(settled) ? at : settled;
                }
                continue;
            }
            Reconciled r = engine.reconcile(new CallFact.PbxRecord(pbx, now, call.getKey(), call.getValue()));
            counts.merge(r, 1, Integer::sum);
        }
        int registered = counts.getOrDefault(Reconciled.REGISTERED, 0);
        int finished = counts.getOrDefault(Reconciled.FINISHED, 0);
        String result = calls.size() + " calls in " + records.where() + " since " + from + ": "
                + registered + " registered (never seen), " + finished + " finished from their record, "
                + counts.getOrDefault(Reconciled.KNOWN, 0) + " known, " + counts.getOrDefault(Reconciled.LIVE, 0)
                + " in progress, " + counts.getOrDefault(Reconciled.LEFT_ALONE, 0) + " left alone, " + recent
                + " ended too recently (next run)";
        if (registered + finished > 0) {
            LOG.info(() -> "PBX " + pbx + " reconciled: " + result);
        }
        if (settled != null) {
            // one more run once the last of them settled (a second at least: rows written in the same second)
            Duration until = Duration.between(now, settled);
            Duration delay = until.compareTo(MIN_AGAIN) < 0 ? MIN_AGAIN : until;
            runAgain.accept(delay);
            return result + "; calls never seen among them: runs again at " + now.plus(delay);
        }
        return result;
    }

    private static Instant firstStart(List<CallFact.RecordedLeg> rows) {
        return rows.stream().map(CallFact.RecordedLeg::start).min(Instant::compareTo).orElse(Instant.MAX);
    }
}
