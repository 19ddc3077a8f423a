package io.b24bridge.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.settings.Settings;

/**
 * The call spine's domain side, one step per PBX fact: the model says what happened, the lifecycle what the
 * CRM must be told, the journal stores both in one transaction. Called from the PBX intake threads; one fact
 * at a time (the model is single-threaded), so facts of one PBX keep their order.
 */
public final class CallEngine {

    private static final Logger LOG = Logger.getLogger(CallEngine.class.getName());

    private final CallTracker tracker;
    private final CrmLifecycle lifecycle;
    private final CallJournal journal;
    private final Supplier<Settings> settings;

    public CallEngine(CallTracker tracker, CrmLifecycle lifecycle, CallJournal journal, Supplier<Settings> settings) {
        this.tracker = tracker;
        this.lifecycle = lifecycle;
        this.journal = journal;
        this.settings = settings;
        lifecycle.restore(journal.openCalls());
    }

    /** Applies one fact; its changes are stored before this returns. */
    public synchronized void onFact(CallFact fact) {
        List<CallEvent> events = tracker.apply(fact);
        Settings now = settings.get();
        List<CrmLifecycle.Change> changes = new ArrayList<>(events.isEmpty() ? List.of() : lifecycle.apply(events, now));
        if (fact instanceof CallFact.ChannelsNow snapshot) {
            changes.addAll(lifecycle.endOrphans(snapshot.pbx(), tracker::follows, snapshot.at(), now));
        } else if (fact instanceof CallFact.Tick tick) {
            changes.addAll(lifecycle.due(tick.pbx(), tick.at(), now)); // finishes whose wait for a rating is over
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            journal.record(changes);
        } catch (RuntimeException e) {
            // the database refused: these commands are lost for the CRM; say so loudly (health shows the database)
            LOG.log(Level.SEVERE, "call changes could not be stored: " + changes.stream()
                    .map(c -> c.call() + " " + c.commands().size() + " commands").toList(), e);
        }
    }

    public synchronized int callsInProgress() {
        return tracker.callsInProgress();
    }
}
