package io.b24bridge.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.retry.Backoff;
import io.b24bridge.retry.Sleeper;
import io.b24bridge.settings.Settings;

/**
 * The call spine's step, one per PBX fact: the call model ({@code calls}) says what happened, the lifecycle what
 * the CRM must be told, the journal stores both in one transaction. Called from the PBX intake threads; one
 * fact at a time (the model is single-threaded), so facts of one PBX keep their order.
 */
public final class CallEngine {

    private static final Logger LOG = Logger.getLogger(CallEngine.class.getName());
    /** How often a fact's changes are stored again when the database refused them. */
    static final int RECORD_RETRIES = 3;
    /**
     * Pauses before storing a fact's changes again: 50 ms, 250 ms, 1 s. A refusal is most often passing (a lock
     * timeout, a deadlock victim: the transaction was rolled back whole, so a retry cannot double anything); the
     * PBX intake waits meanwhile, its own buffer holds the next events.
     */
    static final Backoff RECORD_BACKOFF = Backoff.doubling(Duration.ofMillis(50), Duration.ofSeconds(1)).factor(5);

    private final CallTracker tracker;
    private final CrmLifecycle lifecycle;
    private final CallJournal journal;
    private final Supplier<Settings> settings;
    private final Sleeper sleeper;

    public CallEngine(CallTracker tracker, CrmLifecycle lifecycle, CallJournal journal, Supplier<Settings> settings) {
        this(tracker, lifecycle, journal, settings, Sleeper.SYSTEM);
    }

    CallEngine(CallTracker tracker, CrmLifecycle lifecycle, CallJournal journal, Supplier<Settings> settings,
               Sleeper sleeper) {
        this.tracker = tracker;
        this.lifecycle = lifecycle;
        this.journal = journal;
        this.settings = settings;
        this.sleeper = sleeper;
        lifecycle.restore(journal.openCalls());
    }

    /** Applies one fact; its changes are stored before this returns. */
    public synchronized void onFact(CallFact fact) {
        List<CallEvent> events = fact instanceof CallFact.PbxRecord record ? recorded(record) : tracker.apply(fact);
        Settings now = settings.get();
        List<CrmLifecycle.Change> changes = new ArrayList<>();
        if (!events.isEmpty()) {
            changes.addAll(lifecycle.apply(events, now));
        }
        if (fact instanceof CallFact.ChannelsNow snapshot) {
            changes.addAll(lifecycle.endOrphans(snapshot.pbx(), tracker::follows, snapshot.at(), snapshot.lastSeen(),
                    now));
        } else if (fact instanceof CallFact.Tick tick) {
            changes.addAll(lifecycle.due(tick.pbx(), tick.at(), now)); // finishes whose wait for a rating is over
        }
        if (!changes.isEmpty()) {
            store(changes);
        }
    }

    /** The PBX's record of a call whose finish waits for it; nothing when no call waits for this one. */
    private List<CallEvent> recorded(CallFact.PbxRecord record) {
        CallKey key = new CallKey(record.pbx(), record.linkedid());
        return lifecycle.state(key).filter(CallCrmState::awaitingRecord)
                .map(s -> tracker.recorded(record, key, s.direction())).orElse(List.of());
    }

    /** The calls of this PBX whose finish waits for the PBX's own record of them. */
    public synchronized List<CallKey> awaitingRecords(String pbx) {
        return lifecycle.awaitingRecords(pbx);
    }

    private void store(List<CrmLifecycle.Change> changes) {
        for (int attempt = 0; ; attempt++) {
            try {
                journal.record(changes);
                if (attempt > 0) {
                    LOG.info("call changes stored at attempt " + (attempt + 1));
                }
                return;
            } catch (RuntimeException e) {
                if (attempt == RECORD_RETRIES) {
                    // the database keeps refusing: these commands are lost for the CRM; say so loudly (health
                    // shows the database)
                    LOG.log(Level.SEVERE, "call changes could not be stored: " + describe(changes), e);
                    return;
                }
                LOG.warning("call changes not stored (" + e.getMessage() + "); trying again");
                try {
                    sleeper.sleep(RECORD_BACKOFF.delay(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    LOG.log(Level.SEVERE, "call changes could not be stored (stopping): " + describe(changes), e);
                    return;
                }
            }
        }
    }

    private static List<String> describe(List<CrmLifecycle.Change> changes) {
        return changes.stream().map(c -> c.call() + " " + c.commands().size() + " commands").toList();
    }

    public synchronized int callsInProgress() {
        return tracker.callsInProgress();
    }
}
